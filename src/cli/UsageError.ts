import { BaseError } from '../core/errors/BaseError.ts'

/**
 * The command line is wrong (an unknown flag, a missing value or argument, a bad number): the
 * CLI prints the message and the command's usage, and exits with code 2.
 */
export class UsageError extends BaseError {
  override name = 'UsageError'
  /** The usage of the command that was mistyped. */
  readonly usage: string

  constructor(message: string, usage: string, options: { cause?: unknown } = {}) {
    super(message, options)
    this.usage = usage
  }
}
