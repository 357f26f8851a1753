import type { Checkpoint } from '../core/checkpoint/types.ts'
import type { CheckpointRecord } from './schema.ts'

/** The checkpoint a record describes, without the store's bookkeeping. */
export function checkpointOf(record: CheckpointRecord): Checkpoint {
  const { processId, moduleId, nonce, timestamp, blockHeight, hashChain, assignmentId, cumulativeHash, format, sha256, memoryLength } = record
  return {
    processId,
    moduleId,
    nonce,
    timestamp,
    blockHeight,
    hashChain,
    ...(assignmentId === undefined ? {} : { assignmentId }),
    ...(cumulativeHash === undefined ? {} : { cumulativeHash }),
    format,
    sha256,
    memoryLength,
  }
}
