import type { CheckpointClaim } from '../core/checkpoint/checkpointClaim.ts'
import { BaseError } from '../core/errors/BaseError.ts'

/** A checkpoint body that cannot be read as the memory it should hold. */
export class CheckpointBodyError extends BaseError {
  override name = 'CheckpointBodyError'
  readonly id: string

  constructor(gateway: string, claim: CheckpointClaim, reason: string, options: { cause?: unknown } = {}) {
    super(`The body of checkpoint ${claim.id} (process ${claim.processId}, nonce ${claim.nonce}) on the gateway at ${gateway} cannot be read: ${reason}.`, options)
    this.id = claim.id
  }
}
