import { BaseError } from '../../core/errors/BaseError.ts'

/** An AssemblyScript module trapped (or called `abort`) while handling a message. */
export class AssemblyScriptTrapError extends BaseError {
  override name = 'AssemblyScriptTrapError'
}
