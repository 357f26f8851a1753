import type { CheckpointPolicy } from './checkpointPolicy.ts'

/** How far a replay has come since its last checkpoint (or its start). */
export type CheckpointProgress = {
  /** Messages evaluated since. */
  messages: number
  /** Milliseconds spent evaluating them (not fetching, not waiting). */
  evaluationMs: number
  /** The replay has evaluated the last message it was asked to. */
  atEnd: boolean
}

/**
 * Whether to take a checkpoint now: after `everyMessages` messages or `everySeconds` of
 * evaluation, and at the end; never when no message was evaluated since the last one.
 */
export function checkpointDue(progress: CheckpointProgress, policy: Pick<CheckpointPolicy, 'everyMessages' | 'everySeconds'>): boolean {
  if (progress.messages <= 0) return false
  return progress.atEnd || progress.messages >= policy.everyMessages || progress.evaluationMs >= policy.everySeconds * 1000
}
