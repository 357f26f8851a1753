/**
 * The one base of Holoscope's errors: a short message naming the exact object and, where
 * the user can act, the next step; `details` for the technical part; `cause` kept.
 */
export class BaseError extends Error {
  override name = 'HoloscopeError'
  readonly details: string | undefined

  constructor(message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.details = options.details
  }
}
