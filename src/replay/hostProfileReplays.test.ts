import { describe, expect, it } from 'vitest'
import { knownHostProfiles } from '../core/host/knownHostProfiles.ts'
import type { HostProfile } from '../core/host/types.ts'
import type { ClaimDivergence, MemoryView } from './cuClaims.ts'
import { recheckUnderProfiles, type HostProfileReplays } from './hostProfileReplays.ts'

// Replays that hand out a memory per profile (one byte naming it), recording what was asked.
function fakeReplays(memoryOf: (profile: HostProfile) => number): HostProfileReplays & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    async memoryAt(profile, nonce) {
      asked.push(`${profile.id}@${nonce}`)
      if (profile.id === 'broken') throw new Error('the worker exited')
      const bytes = new Uint8Array([memoryOf(profile)])
      return { bytes: async () => bytes, digest: async () => ({ sha256: String(bytes[0]), length: 1, zeroTail: true }) } satisfies MemoryView
    },
    terminate() {},
  }
}

const others = knownHostProfiles.slice(1)
const claim = (expected: number) => async (memory: MemoryView): Promise<ClaimDivergence | undefined> => {
  const [byte] = await memory.bytes()
  return byte === expected ? undefined : { claim: 'state', nonce: 7, field: 'memory', local: byte, remote: expected, notes: [] }
}

describe('recheckUnderProfiles', () => {
  it('finds the profile that reproduces a memory claim, trying the one the CU matched before first', async () => {
    const replays = fakeReplays((p) => knownHostProfiles.indexOf(p))
    const found = await recheckUnderProfiles(replays, others, others[1], 7, claim(knownHostProfiles.indexOf(others[1]!)))
    expect(found).toEqual({ held: true, profile: others[1] })
    expect(replays.asked).toEqual([`${others[1]!.id}@7`])
  })

  it('reports a memory claim no profile reproduces, with every profile tried and its divergence under the preferred one', async () => {
    const replays = fakeReplays((p) => knownHostProfiles.indexOf(p))
    const found = await recheckUnderProfiles(replays, others, others[0], 7, claim(99))
    expect(found).toMatchObject({ held: false, tried: others, divergence: { claim: 'state', nonce: 7, local: knownHostProfiles.indexOf(others[0]!), remote: 99 }, notes: [] })
  })

  it('never takes a replay that failed as a match: it is a note', async () => {
    const broken: HostProfile = { id: 'broken', label: 'a broken host', programPath: '/x.js', aoLoader: '0.0.44' }
    const found = await recheckUnderProfiles(fakeReplays(() => 5), [broken], undefined, 3, claim(5))
    expect(found).toMatchObject({ held: false, tried: [broken], divergence: undefined, notes: ['The replay under host profile a broken host failed: the worker exited'] })
  })
})
