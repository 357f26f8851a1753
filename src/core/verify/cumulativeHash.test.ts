import { describe, expect, it } from 'vitest'
import type { EvalResult } from '../message/types.ts'
import { cumulativeGenesis, cumulativeHashOf, findFirstDivergence, nextCumulativeHash, type CumulativeStep } from './cumulativeHash.ts'

const result = (over: Partial<EvalResult> = {}): EvalResult => ({
  Output: 'ok',
  Messages: [{ Target: 'a', Tags: [{ name: 'Action', value: 'Credit-Notice' }], Data: '1' }],
  Spawns: [],
  Assignments: [],
  ...over,
})
const memory = 'ab'.repeat(32)
const steps: CumulativeStep[] = Array.from({ length: 20 }, (_, nonce) => ({ nonce, result: result({ Output: `out ${nonce}` }), memorySha256: nonce % 5 === 0 ? memory : undefined }))

describe('cumulative hash', () => {
  it('is a fixed genesis value and hex digests, the same for the same inputs', () => {
    expect(cumulativeGenesis).toMatch(/^[0-9a-f]{64}$/)
    const a = cumulativeHashOf(steps)
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(cumulativeHashOf(structuredClone(steps))).toBe(a)
    expect(cumulativeHashOf([])).toBe(cumulativeGenesis)
    expect(cumulativeHashOf(steps.slice(10), cumulativeHashOf(steps.slice(0, 10)))).toBe(a)
  })

  it('ignores what verification ignores: key order, Error text, absent versus empty, number versus string', () => {
    const h = (r: EvalResult) => nextCumulativeHash(cumulativeGenesis, 1, r)
    const base = h(result())
    expect(h(result({ Messages: [{ Data: '1', Tags: [{ value: 'Credit-Notice', name: 'Action' }], Target: 'a' }] }))).toBe(base)
    expect(h(result({ Error: 'boom' }))).toBe(h(result({ Error: 'boom at line 3' })))
    expect(h(result({ Output: undefined }))).toBe(h(result({ Output: '' })))
    expect(h(result({ Output: 5 }))).toBe(h(result({ Output: '5' })))
    expect(h({ ...result(), GasUsed: 123 })).toBe(base)
  })

  it('changes with every input: previous hash, nonce, each result field, the memory hash and its presence', () => {
    const base = nextCumulativeHash(cumulativeGenesis, 7, result(), memory)
    const variants = [
      nextCumulativeHash('0'.repeat(64), 7, result(), memory),
      nextCumulativeHash(cumulativeGenesis, 8, result(), memory),
      nextCumulativeHash(cumulativeGenesis, 7, result({ Output: 'ok!' }), memory),
      nextCumulativeHash(cumulativeGenesis, 7, result({ Error: 'x' }), memory),
      nextCumulativeHash(cumulativeGenesis, 7, result({ Messages: [] }), memory),
      nextCumulativeHash(cumulativeGenesis, 7, result({ Spawns: [{ Data: 'x' }] }), memory),
      nextCumulativeHash(cumulativeGenesis, 7, result({ Assignments: [{ Processes: ['p'] }] }), memory),
      nextCumulativeHash(cumulativeGenesis, 7, result(), 'ac'.repeat(32)),
      nextCumulativeHash(cumulativeGenesis, 7, result()),
    ]
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1)
    // A change early in the history changes every hash after it.
    const altered = structuredClone(steps)
    altered[3]!.result.Output = 'out 3 (altered)'
    expect(cumulativeHashOf(altered)).not.toBe(cumulativeHashOf(steps))
  })

  it('refuses inputs that are not hashes or nonces', () => {
    expect(() => nextCumulativeHash('xyz', 1, result())).toThrow(/previous cumulative hash/)
    expect(() => nextCumulativeHash(cumulativeGenesis, -1, result())).toThrow(/nonce -1/)
    expect(() => nextCumulativeHash(cumulativeGenesis, 1, result(), 'AB'.repeat(32))).toThrow(/memory SHA-256/)
  })
})

describe('findFirstDivergence', () => {
  const points = Array.from({ length: 64 }, (_, i) => i * 10)
  const local = (n: number) => `h${n}`
  const liarFrom = (from: number) => (n: number) => (n >= from ? `lie${n}` : `h${n}`)

  it('finds the first diverging point with about log2(points) questions', async () => {
    for (const from of [0, 10, 315, 320, 630]) {
      const found = await findFirstDivergence({ points, claimAt: liarFrom(from), localAt: local })
      const first = points.find((p) => p >= from)!
      expect(found).toMatchObject({ status: 'diverged', nonce: first, local: `h${first}`, remote: `lie${first}`, lastAgreed: first === 0 ? undefined : first - 10 })
      expect(found.probes.length).toBeLessThanOrEqual(7)
    }
  })

  it('says when every point agrees, with the last one', async () => {
    expect(await findFirstDivergence({ points, claimAt: local, localAt: local })).toMatchObject({ status: 'agreed', lastAgreed: 630, unavailable: [] })
    expect(await findFirstDivergence({ points: [], claimAt: local, localAt: local })).toMatchObject({ status: 'agreed', lastAgreed: undefined, probes: [] })
  })

  it('leaves out points without a claim and still finds the first divergence among the rest', async () => {
    const missing = new Set([310, 320, 330])
    const claimAt = (n: number) => (missing.has(n) ? undefined : liarFrom(315)(n))
    const found = await findFirstDivergence({ points: [...points].reverse(), claimAt, localAt: (n) => Promise.resolve(local(n)) })
    expect(found).toMatchObject({ status: 'diverged', nonce: 340, lastAgreed: 300 })
    expect(found.unavailable.length).toBeGreaterThan(0)
    expect(found.unavailable.every((n) => missing.has(n))).toBe(true)
  })
})
