import { BaseError } from '../core/errors/BaseError.ts'

/** The kind of server a request went to, as the error messages name it. */
export type Unit = 'SU' | 'CU' | 'gateway'

const expected: Record<Unit, string> = { SU: 'an AO SU', CU: 'an AO CU', gateway: 'an Arweave gateway' }

/**
 * The host could not be reached (refused, DNS, offline, CORS) or the URL is not one: nothing
 * was answered. May be retried.
 */
export class NetworkError extends BaseError {
  override name = 'NetworkError'
  readonly unit: Unit
  readonly url: string

  constructor(unit: Unit, url: string, cause: unknown) {
    super(`Could not reach the ${unit} at ${url}: ${reasonOf(cause)}. Check the URL in Settings or your connection.`, { cause })
    this.unit = unit
    this.url = url
  }
}

/** The server answered with a status other than 2xx; `serverError` is its `{ error }` text. */
export class HttpError extends BaseError {
  override name = 'HttpError'
  readonly unit: Unit
  readonly url: string
  readonly status: number
  readonly serverError: string | undefined

  constructor(unit: Unit, url: string, status: number, serverError: string | undefined) {
    const retry = status === 425 || status === 429 || status >= 500 ? ' Try again in a moment.' : ''
    super(`The ${unit} at ${url} answered HTTP ${status}${serverError ? `: ${serverError}` : ''}.${retry}`)
    this.unit = unit
    this.url = url
    this.status = status
    this.serverError = serverError
  }
}

/** The server answered 2xx with a body that is not what its API promises (not JSON, wrong shape). */
export class ProtocolError extends BaseError {
  override name = 'ProtocolError'
  readonly unit: Unit
  readonly url: string
  readonly reason: string

  constructor(unit: Unit, url: string, reason: string, options: { details?: string; cause?: unknown } = {}) {
    super(
      `The ${unit} at ${url} returned a page that is not ${expected[unit]} page (${reason}). Check that the ${unit} URL in Settings points to ${expected[unit]}.`,
      options,
    )
    this.unit = unit
    this.url = url
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
