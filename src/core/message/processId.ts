import { BaseError } from '../errors/BaseError.ts'

/** A process id that cannot be one. */
export class InvalidProcessIdError extends BaseError {
  override name = 'InvalidProcessIdError'
}

const idPattern = /^[A-Za-z0-9_-]{43}$/

/** Whether `value` has the shape of an Arweave id (process, message, module, wallet): 43 characters of base64url. */
export function isArweaveId(value: string): boolean {
  return idPattern.test(value)
}

/**
 * Checks the shape of a process id a user typed: trimmed, 43 characters of base64url.
 *
 * @returns the trimmed id
 * @throws InvalidProcessIdError naming what was typed and what an id looks like
 */
export function checkProcessId(id: string): string {
  const trimmed = id.trim()
  if (!isArweaveId(trimmed)) {
    throw new InvalidProcessIdError(`"${trimmed.slice(0, 60)}" is not a process id: an id is 43 characters of A–Z, a–z, 0–9, - and _ (it has ${trimmed.length}).`)
  }
  return trimmed
}
