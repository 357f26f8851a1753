import { BaseError } from '../core/errors/BaseError.ts'

/** The kind of server a request went to, as the error messages name it. */
export type Unit = 'SU' | 'CU' | 'gateway'

const expected: Record<Unit, string> = { SU: 'an AO SU', CU: 'an AO CU', gateway: 'an Arweave gateway' }

/** A failure of a request to one unit: which kind of server and its URL. */
export abstract class UnitError extends BaseError {
  readonly unit: Unit
  readonly url: string

  constructor(unit: Unit, url: string, message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, options)
    this.unit = unit
    this.url = url
  }
}

/**
 * The host could not be reached (refused, DNS, offline, CORS) or the URL is not one: nothing
 * was answered. May be retried.
 */
export class NetworkError extends UnitError {
  override name = 'NetworkError'

  constructor(unit: Unit, url: string, cause: unknown) {
    super(unit, url, `Could not reach the ${unit} at ${url}: ${reasonOf(cause)}. Check the URL in Settings or your connection.`, { cause })
  }
}

/**
 * The server answered with a status other than 2xx; `serverError` is its `{ error }` text and
 * `retryAfter` its `Retry-After` header (seconds or an HTTP date), when it sent one.
 */
export class HttpError extends UnitError {
  override name = 'HttpError'
  readonly status: number
  readonly serverError: string | undefined
  readonly retryAfter: string | undefined

  constructor(unit: Unit, url: string, status: number, serverError: string | undefined, retryAfter?: string) {
    super(unit, url, `The ${unit} at ${url} answered HTTP ${status}${serverError ? `: ${serverError}` : ''}.${meaningOf(unit, status)}`)
    this.status = status
    this.serverError = serverError
    this.retryAfter = retryAfter
  }
}

/** What a status means for the user, and what to do (422 and 425 from a CU are deterministic). */
function meaningOf(unit: Unit, status: number): string {
  if (unit === 'CU' && status === 422) return ' The CU cannot evaluate this process: it does not support its module format, or the hash chain of its log is broken. Asking again gives the same answer.'
  if (unit === 'CU' && status === 425) return ' The CU no longer has this old message cached (it answers only for messages after its cached state). Asking again gives the same answer; this is not a divergence.'
  if (status === 429) return ' It limits how often it may be asked: try again later, or ask fewer results at once (Settings).'
  if (status >= 500) return ' Try again in a moment.'
  return ''
}

/** A CU answered that it is still evaluating the process (HTTP 202): ask again later. */
export class StateNotReadyError extends BaseError {
  override name = 'StateNotReadyError'
  readonly url: string
  readonly retryAfter: string | undefined

  constructor(url: string, serverMessage: string | undefined, retryAfter?: string) {
    super(`The CU at ${url} is still evaluating this process${serverMessage ? ` (${serverMessage})` : ''}. Try again in a moment.`)
    this.url = url
    this.retryAfter = retryAfter
  }
}

/**
 * A request to a unit kept failing in a way worth retrying (rate limit, 5xx, no answer, state
 * still being computed) until the retry policy's last attempt; `cause` is the last failure.
 */
export class RetriesExhaustedError extends UnitError {
  override name = 'RetriesExhaustedError'
  readonly attempts: number

  constructor(fields: { unit: Unit; url: string; attempts: number; waitedMs: number }, last: unknown) {
    const { unit, url, attempts, waitedMs } = fields
    const reason = last instanceof Error ? last.message : String(last)
    super(unit, url, `Gave up on the ${unit} at ${url} after ${attempts} attempts over ${Math.round(waitedMs / 1000)} s of waiting: ${reason}`, { cause: last })
    this.attempts = attempts
  }
}

/** The server answered 2xx with a body that is not what its API promises (not JSON, wrong shape). */
export class ProtocolError extends UnitError {
  override name = 'ProtocolError'
  readonly reason: string

  constructor(unit: Unit, url: string, reason: string, options: { details?: string; cause?: unknown } = {}) {
    super(
      unit,
      url,
      `The ${unit} at ${url} returned a page that is not ${expected[unit]} page (${reason}). Check that the ${unit} URL in Settings points to ${expected[unit]}.`,
      options,
    )
    this.reason = reason
  }
}

/**
 * An assignment in an SU log whose `Hash-Chain` is not the link the SU's chain rule gives:
 * the log was altered or reordered from `nonce` on. `found` is null when the tag is missing.
 */
export class HashChainError extends BaseError {
  override name = 'HashChainError'
  readonly su: string
  readonly processId: string
  readonly nonce: number
  readonly messageId: string
  readonly expected: string
  readonly found: string | null

  constructor(fields: { su: string; processId: string; nonce: number; messageId: string; expected: string; found: string | null }) {
    super(
      `The SU at ${fields.su} broke the hash chain of process ${fields.processId} at nonce ${fields.nonce} (message ${fields.messageId}): ` +
        `expected Hash-Chain ${fields.expected}, found ${fields.found ?? 'none'}. Its log cannot be trusted from this message on.`,
    )
    this.su = fields.su
    this.processId = fields.processId
    this.nonce = fields.nonce
    this.messageId = fields.messageId
    this.expected = fields.expected
    this.found = fields.found
  }
}

/** An SU log whose nonces are not consecutive: nonce `expected` was due, `found` came. */
export class NonceGapError extends BaseError {
  override name = 'NonceGapError'
  readonly su: string
  readonly processId: string
  readonly expected: number
  readonly found: number

  constructor(fields: { su: string; processId: string; expected: number; found: number }) {
    const { su, processId, expected, found } = fields
    super(
      found > expected
        ? `The SU at ${su} skipped nonce ${expected === found - 1 ? expected : `${expected} to ${found - 1}`} in the log of process ${processId}: after nonce ${expected - 1} came nonce ${found}.`
        : `The SU at ${su} sent nonce ${found} again in the log of process ${processId}, where nonce ${expected} was due.`,
    )
    this.su = su
    this.processId = processId
    this.expected = expected
    this.found = found
  }
}

/**
 * The gateway does not have what was asked for: a transaction, a process (a transaction with a
 * `Scheduler` tag), or a scheduler's `Scheduler-Location` record.
 */
export class NotFoundError extends BaseError {
  override name = 'NotFoundError'
  readonly gateway: string
  readonly id: string
  readonly what: 'transaction' | 'process' | 'scheduler-location'

  constructor(fields: { gateway: string; id: string; what: 'transaction' | 'process' | 'scheduler-location' }, options: { cause?: unknown } = {}) {
    const { gateway, id, what } = fields
    const message = {
      transaction: `Transaction ${id} is not on the gateway at ${gateway}. Check the id, or wait until the gateway has indexed it.`,
      process: `Transaction ${id} on the gateway at ${gateway} is not an AO process: it has no Scheduler tag. Check the process id.`,
      'scheduler-location': `The gateway at ${gateway} has no Scheduler-Location record owned by scheduler ${id}, so its SU URL is unknown. Enter the SU URL in Settings.`,
    }[what]
    super(message, options)
    this.gateway = gateway
    this.id = id
    this.what = what
  }
}

/** The most specific text of a fetch failure (Node nests the system error in `cause`). */
function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause)
  const inner = cause.cause
  if (inner instanceof Error && inner.message && inner.message !== cause.message) return `${cause.message} (${inner.message})`
  return cause.message
}
