import { describe, expect, it } from 'vitest'
import { knownHostProfiles } from '../core/host/knownHostProfiles.ts'
import type { Verdict } from '../core/verify/verdict.ts'
import type { ClaimOutcome, MemoryView } from './cuClaims.ts'
import { createJudge, finalVerdicts, initialCuStates, settleResult, standingVerdict, type CuState, type VerdictHistory } from './cuVerdicts.ts'
import type { HostProfileReplays } from './hostProfileReplays.ts'

const cu = 'http://cu.test'
const history = (prior: Verdict[] = [], startNonce = -1, targetNonce = 10): VerdictHistory => ({ cus: [cu], prior: new Map(prior.map((v) => [v.cu, v])), startNonce, targetNonce, trusted: undefined })
const stateOf = (h = history()): CuState => initialCuStates(h, undefined).get(cu)!
const others = knownHostProfiles.slice(1)

// Replays whose memory under each profile is one byte: the profile's index, or a failure.
const replaysGiving = (byte: (id: string) => number | Error): (() => HostProfileReplays) => () => ({
  async memoryAt(profile) {
    const given = byte(profile.id)
    if (given instanceof Error) throw given
    return { bytes: async () => new Uint8Array([given]), digest: async () => ({ sha256: String(given), length: 1, zeroTail: true }) } satisfies MemoryView
  },
  terminate() {},
})
const differingState = (expected: number): ClaimOutcome => ({
  held: false,
  divergence: { claim: 'state', nonce: 10, field: 'memory', local: 'ours', remote: 'theirs', notes: [] },
  recheck: async (memory) => ((await memory.bytes())[0] === expected ? undefined : { claim: 'state', nonce: 10, field: 'memory', local: 'x', remote: 'theirs', notes: [] }),
})

describe('CU verdicts', () => {
  it('a verdict from an earlier visit stands only on the same history: verified at the target with its state compared, or diverged before the start', () => {
    const verified: Verdict = { status: 'verified', cu, nonce: 10, checked: { results: 11, checkpoints: 0, state: true, dryRun: false } }
    expect(standingVerdict(history([verified], 10), cu)).toBe(verified)
    expect(standingVerdict(history([verified], 5), cu)).toBeUndefined()
    expect(standingVerdict(history([{ ...verified, checked: { ...verified.checked!, state: false } }], 10), cu)).toBeUndefined()
    const diverged: Verdict = { status: 'diverged', cu, nonce: 4, messageId: 'm', field: 'Output', local: 1, remote: 2 }
    expect(standingVerdict(history([diverged], 5), cu)).toBe(diverged)
    expect(standingVerdict(history([diverged], 3), cu)).toBeUndefined()
  })

  it('a result the CU cannot give ends its checking as unchecked, never diverged; a differing one is a divergence at its nonce', () => {
    const state = stateOf()
    settleResult(state, { held: true, notes: [] }, 0, 'm0', undefined)
    expect(state.checked.results).toBe(1)
    settleResult(state, { held: undefined, note: 'HTTP 425' }, 1, 'm1', undefined)
    expect(state.final).toEqual({ status: 'unchecked', cu, reason: 'HTTP 425', nonce: 1 })
    const other = stateOf()
    settleResult(other, { held: false, divergence: { claim: 'result', nonce: 3, field: 'Output', local: 'a', remote: 'b', notes: [] } }, 3, 'm3', undefined)
    expect(other.final).toEqual({ status: 'diverged', cu, nonce: 3, claim: 'result', messageId: 'm3', field: 'Output', local: 'a', remote: 'b' })
  })

  it('a memory claim that holds under another host profile verifies the CU with that profile named', async () => {
    const state = stateOf()
    const judge = createJudge(others, replaysGiving((id) => others.findIndex((p) => p.id === id)), undefined)
    await judge(state, differingState(1), 'state', 'm10')
    expect(state.final).toBeUndefined()
    expect(state.checked.state).toBe(true)
    expect(state.hostProfile).toBe(others[1])
    expect(finalVerdicts(new Map([[cu, state]]), [cu], 10, undefined)).toEqual([{ status: 'verified', cu, nonce: 10, checked: state.checked, hostProfile: others[1] }])
  })

  it('never calls a memory claim diverged while a host profile could not be replayed: it is a note', async () => {
    const state = stateOf()
    const judge = createJudge(others, replaysGiving((id) => (id === others[0]!.id ? new Error('the worker exited') : 9)), undefined)
    await judge(state, differingState(1), 'state', 'm10')
    expect(state.final).toBeUndefined()
    expect(state.notes.join(' ')).toMatch(/not called a divergence.*the worker exited/)
  })

  it('calls a memory claim diverged when every profile was replayed and none reproduces it, listing them', async () => {
    const state = stateOf()
    const judge = createJudge(others, replaysGiving(() => 9), undefined)
    await judge(state, differingState(1), 'state', 'm10')
    expect(state.final).toMatchObject({ status: 'diverged', cu, nonce: 10, claim: 'state', messageId: 'm10', hostProfiles: ['holoscope', ...others.map((p) => p.id)] })
  })
})
