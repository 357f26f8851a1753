import type { CheckpointPolicy } from './checkpointPolicy.ts'

/**
 * Which of a process's checkpoints to delete: the newest `keepNewest` stay, and the older ones
 * thin out into a ladder whose steps grow with the distance from the newest: going back from the
 * newest kept, the step to the next kept one is at most `max(ladderBase, distance from the newest)`
 * (powers-of-two spacing), or the step to the next existing one where that is larger. The oldest
 * always stays. Deleting only ever widens steps the growing distance allows, so applying this
 * after every new checkpoint keeps the ladder: any nonce has a kept checkpoint at or below it no
 * further away than its own distance from the newest (or `ladderBase`).
 *
 * @param nonces the nonces of one process's checkpoints, in any order
 * @returns the nonces to delete, ascending
 */
export function checkpointsToDelete(nonces: readonly number[], policy: Pick<CheckpointPolicy, 'keepNewest' | 'ladderBase'>): number[] {
  const sorted = [...new Set(nonces)].sort((a, b) => a - b)
  const keep = Math.max(1, Math.floor(policy.keepNewest))
  if (sorted.length <= keep + 1) return []
  const newest = sorted.at(-1)!
  let last = sorted[sorted.length - keep]!
  const deleted: number[] = []
  // From the newest of the older ones back to the second oldest (the oldest always stays).
  for (let i = sorted.length - keep - 1; i >= 1; i--) {
    const step = Math.max(policy.ladderBase, newest - last)
    if (last - sorted[i - 1]! <= step) deleted.push(sorted[i]!)
    else last = sorted[i]!
  }
  return deleted.reverse()
}
