/**
 * When to take checkpoints and which to keep. See `checkpointDue` and `checkpointsToDelete`.
 */
export type CheckpointPolicy = {
  /** A checkpoint after this many evaluated messages since the last one. */
  everyMessages: number
  /** Or after this many seconds of evaluation time since the last one, whichever comes first. */
  everySeconds: number
  /** How many of the newest checkpoints are always kept. */
  keepNewest: number
  /**
   * Older ones form a ladder by distance (in nonces) from the newest: one is kept below
   * `ladderBase`, one in [ladderBase, 2·ladderBase), one in [2·ladderBase, 4·ladderBase), …
   */
  ladderBase: number
}

/** The policy a replay uses unless told otherwise. */
export const defaultCheckpointPolicy: CheckpointPolicy = { everyMessages: 1000, everySeconds: 30, keepNewest: 3, ladderBase: 1000 }
