import { BaseError } from '../errors/BaseError.ts'
import { tagValue } from './tagValue.ts'
import type { SuNode } from './types.ts'

/** An assignment whose Nonce tag is missing or not a whole number (the SU's log is not usable). */
export class NonceTagError extends BaseError {
  override name = 'NonceTagError'
}

/** The nonce an SU assigned to an edge (its Nonce tag), or undefined when the tag is missing or not a whole number. */
export function assignedNonce(node: SuNode): number | undefined {
  const value = tagValue(node.assignment.tags, 'Nonce')
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
}

/** What is wrong with an edge's Nonce tag, in words ("no Nonce tag", "Nonce \"x\""). */
export function nonceTagProblem(node: SuNode): string {
  const value = tagValue(node.assignment.tags, 'Nonce')
  return value === undefined ? 'no Nonce tag' : `Nonce ${JSON.stringify(value)}`
}

/**
 * The nonce an SU assigned to an edge.
 *
 * @throws NonceTagError when the Nonce tag is missing or not a whole number (the log streams of
 *   `net/su` have checked it already; this guards edges from elsewhere)
 */
export function nonceOf(node: SuNode): number {
  const nonce = assignedNonce(node)
  if (nonce === undefined) {
    throw new NonceTagError(`Assignment ${node.assignment.id} has ${nonceTagProblem(node)}, so its place in the log is unknown. Check the SU's log for this process, or try another SU.`)
  }
  return nonce
}
