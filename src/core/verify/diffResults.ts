import type { EvalResult } from '../message/types.ts'
import { canonicalJson } from './canonicalJson.ts'

/** The fields of a result that a verification compares, in the order they are checked. */
export const comparedFields = ['Error', 'Output', 'Messages', 'Spawns', 'Assignments'] as const

/** A field of a message's result. */
export type ResultField = (typeof comparedFields)[number]

/** How a local result and a CU's differ: the first differing field and both values. */
export type ResultDifference = { field: ResultField; local: unknown; remote: unknown }

/**
 * Compares a result computed locally with the one a CU reports for the same message, field by
 * field as a CU builds it (`/result`): whether there is an Error (its text varies between
 * hosts, so only its presence counts), then Output (a number becomes a string, as the CU's
 * merge does; absent, null and "" are the same), then the outbox lists (absent = empty),
 * key order inside objects ignored.
 *
 * @returns the first difference, or undefined when they agree
 */
export function diffResults(local: EvalResult, remote: EvalResult): ResultDifference | undefined {
  if (hasError(local) !== hasError(remote)) return { field: 'Error', local: local.Error ?? null, remote: remote.Error ?? null }
  if (canonicalJson(output(local.Output)) !== canonicalJson(output(remote.Output))) return { field: 'Output', local: local.Output ?? null, remote: remote.Output ?? null }
  for (const field of ['Messages', 'Spawns', 'Assignments'] as const) {
    if (canonicalJson(local[field] ?? []) !== canonicalJson(remote[field] ?? [])) return { field, local: local[field] ?? [], remote: remote[field] ?? [] }
  }
  return undefined
}

function hasError(result: EvalResult): boolean {
  return result.Error !== undefined && result.Error !== null && result.Error !== ''
}

function output(value: unknown): unknown {
  if (value === undefined || value === null) return ''
  return typeof value === 'number' ? String(value) : value
}
