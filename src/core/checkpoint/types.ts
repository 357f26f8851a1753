import type { ModuleFormat } from '../module/types.ts'

/**
 * Where a checkpoint stands in a process's history, named as a CU names it: the memory after
 * evaluating the message at `nonce`, with that message's timestamp, block height and Hash-Chain.
 */
export type CheckpointPoint = {
  processId: string
  moduleId: string
  nonce: number
  /** The message's Timestamp (ms). */
  timestamp: number
  blockHeight: number
  hashChain: string
  /** The id of the assignment at `nonce`: with `hashChain`, it lets a resumed log check its next link. */
  assignmentId?: string | undefined
  /** A digest over the results up to `nonce`, for a later comparison with a CU's; optional. */
  cumulativeHash?: string
}

/**
 * A checkpoint as stored: its point plus what it holds, in the CU's shape (hex SHA-256 of the
 * raw memory and the memory's length).
 */
export type Checkpoint = CheckpointPoint & {
  format: ModuleFormat
  sha256: string
  memoryLength: number
}

/** What names one checkpoint. */
export type CheckpointKey = Pick<CheckpointPoint, 'processId' | 'nonce'>
