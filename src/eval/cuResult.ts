import type { EvalResult } from '../core/message/types.ts'

/**
 * A module's response as the CU records it: `Output` defaults to `''` and a number becomes
 * a string; `Messages`, `Spawns` and `Assignments` default to `[]`; `Patches` and `Memory`
 * are not part of a result.
 */
export function cuResult(raw: Partial<EvalResult>): EvalResult {
  const output = raw.Output ?? ''
  const out: EvalResult = {
    Output: typeof output === 'number' ? String(output) : output,
    Messages: raw.Messages ?? [],
    Spawns: raw.Spawns ?? [],
    Assignments: raw.Assignments ?? [],
  }
  if (raw.Error !== undefined && raw.Error !== null && raw.Error !== false && raw.Error !== '' && raw.Error !== 0) out.Error = raw.Error
  if (raw.GasUsed !== undefined) out.GasUsed = raw.GasUsed
  return out
}

/**
 * The result a CU records when evaluation throws (the module answered `ok: false`, trapped,
 * ran out of gas): only `Error`. A thrown `Error` is kept as its message, so it stays plain
 * data across workers and JSON.
 */
export function thrownResult(thrown: unknown): EvalResult {
  const error = thrown instanceof Error ? thrown.message || thrown.name : thrown
  return cuResult({ Error: error ?? 'evaluation failed' })
}

/**
 * Whether the CU keeps the memory from before this message: the result carries `Error`, or
 * its Output reports an allocation failure (older modules).
 */
export function rollsBack(result: EvalResult): boolean {
  if (result.Error !== undefined) return true
  const output = result.Output
  const text = typeof output === 'string' ? output : (output as { data?: { output?: unknown } } | null)?.data?.output
  return typeof text === 'string' && text.endsWith('not enough memory for buffer allocation')
}
