import { describe, expect, it } from 'vitest'
import { checkpointsToDelete } from './checkpointsToDelete.ts'

const policy = { keepNewest: 3, ladderBase: 1000 }

/** Takes a checkpoint every `every` nonces up to `last`, pruning after each as a replay would. */
function simulate(every: number, last: number): number[] {
  let kept: number[] = []
  for (let nonce = 0; nonce <= last; nonce += every) {
    kept.push(nonce)
    const deleted = new Set(checkpointsToDelete(kept, policy))
    kept = kept.filter((n) => !deleted.has(n))
  }
  return kept
}

describe('checkpointsToDelete', () => {
  it('deletes nothing while there are few, and nothing of the newest', () => {
    expect(checkpointsToDelete([], policy)).toEqual([])
    expect(checkpointsToDelete([5, 1, 3, 2], policy)).toEqual([])
    const nonces = Array.from({ length: 50 }, (_, i) => i * 100)
    const deleted = checkpointsToDelete(nonces, policy)
    expect(deleted).not.toContain(4900)
    expect(deleted).not.toContain(4800)
    expect(deleted).not.toContain(4700)
    expect(deleted).not.toContain(0)
    expect(deleted.length).toBeGreaterThan(0)
  })

  it('returns each doomed nonce once, ascending, whatever the input order', () => {
    const nonces = Array.from({ length: 30 }, (_, i) => i * 100)
    const deleted = checkpointsToDelete([...nonces, ...nonces].reverse(), policy)
    expect(deleted).toEqual([...new Set(deleted)].sort((a, b) => a - b))
    expect(deleted).toEqual(checkpointsToDelete(nonces, policy))
  })

  it('thins a long history into a ladder with steps that double with distance', () => {
    const kept = simulate(100, 1_000_000)
    expect(kept.slice(-3)).toEqual([999_800, 999_900, 1_000_000])
    expect(kept[0]).toBe(0)
    // 10,001 checkpoints taken; about two per doubling of the distance are left.
    expect(kept.length).toBeLessThanOrEqual(3 + 2 * Math.ceil(Math.log2(1_000_000 / 1000)) + 1)
    const newest = kept.at(-1)!
    for (let target = 0; target <= newest; target += 250) {
      const below = Math.max(...kept.filter((n) => n <= target))
      expect(target - below).toBeLessThanOrEqual(Math.max(1000, newest - target))
    }
  })

  it('keeps every checkpoint when they are further apart than the ladder asks', () => {
    expect(checkpointsToDelete([0, 10_000, 20_000, 30_000, 30_100, 30_200, 30_300], policy)).toEqual([])
  })

  it('keeps the newest even when asked to keep none', () => {
    const deleted = checkpointsToDelete([0, 100, 200, 300], { keepNewest: 0, ladderBase: 1000 })
    expect(deleted).not.toContain(300)
    expect(deleted).not.toContain(0)
  })
})
