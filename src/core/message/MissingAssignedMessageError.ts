import { BaseError } from '../errors/BaseError.ts'

/** An assignment of a message that is not in the SU's log node: it must be loaded from the gateway first. */
export class MissingAssignedMessageError extends BaseError {
  override name = 'MissingAssignedMessageError'
  readonly assignmentId: string

  /** `messageId` is the assignment's Message tag, when it has one. */
  constructor(assignmentId: string, messageId: string | undefined) {
    super(`assignment ${assignmentId} needs its message ${messageId ?? '(no Message tag)'} loaded from the gateway`, {
      details: 'The SU assigned a message it does not serve itself: fetch it from the gateway by its id and pass it with the assignment.',
    })
    this.assignmentId = assignmentId
  }
}
