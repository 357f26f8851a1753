import { defaultHostProfile } from '../core/host/knownHostProfiles.ts'
import type { HostProfile } from '../core/host/types.ts'
import { isMemoryClaim, type Checked, type Trusted, type Verdict } from '../core/verify/verdict.ts'
import type { ClaimDivergence, ClaimOutcome, CuClaims } from './cuClaims.ts'
import { recheckUnderProfiles, type HostProfileReplays } from './hostProfileReplays.ts'

/**
 * Per CU, while verifying: its verdict once reached, what was compared, its claims and notes,
 * how far its results were compared, and the host profile its memory claims held under when
 * not Holoscope's own.
 */
export type CuState = { cu: string; final?: Verdict; checked: Checked; claims: CuClaims; notes: string[]; coveredTo: number; hostProfile?: HostProfile | undefined }

/** Which count of `Checked` a held claim adds to. */
export type ClaimCounter = 'checkpoints' | 'state' | 'dryRun'

/** Settles a claim's outcome on a CU: `messageId` is the message the claim is about. */
export type Judge = (state: CuState, outcome: ClaimOutcome, counter: ClaimCounter, messageId: string) => Promise<void>

/** Where this verification starts and what earlier visits concluded, for the CUs' starting states. */
export type VerdictHistory = { cus: readonly string[]; prior: Map<string, Verdict>; startNonce: number; targetNonce: number; trusted: Trusted | undefined }

/**
 * A verdict an earlier visit reached on this same history that stands: verified to the target
 * with its state or dry-run compared there, or diverged before where this replay starts.
 */
export function standingVerdict(history: VerdictHistory, cu: string): Verdict | undefined {
  const prior = history.prior.get(cu)
  if (prior?.status === 'verified' && prior.nonce === history.targetNonce && history.startNonce === history.targetNonce && (prior.checked?.state || prior.checked?.dryRun)) return prior
  if (prior?.status === 'diverged' && prior.nonce <= history.startNonce) return prior
  return undefined
}

/** Each CU's state at the start: what an earlier visit compared, its claims, its standing verdict. */
export function initialCuStates(history: VerdictHistory, claims: Map<string, CuClaims> | undefined): Map<string, CuState> {
  return new Map(
    history.cus.map((cu) => {
      const own = claims?.get(cu) ?? { cu, address: undefined, checkpoints: [], notes: [] }
      const prior = history.prior.get(cu)
      const verified = prior?.status === 'verified' ? prior : undefined
      const state: CuState = {
        cu,
        checked: verified?.checked ? { ...verified.checked, state: false, dryRun: false } : { results: 0, checkpoints: 0, state: false, dryRun: false },
        claims: own,
        notes: [...own.notes],
        coveredTo: verified ? Math.min(verified.nonce, history.startNonce) : history.trusted ? history.startNonce : -1,
        hostProfile: verified?.hostProfile,
      }
      const stands = standingVerdict(history, cu)
      if (stands) state.final = stands
      return [cu, state]
    }),
  )
}

/** The CUs still being checked (no verdict yet). */
export function openStates(states: Map<string, CuState>): CuState[] {
  return [...states.values()].filter((s) => !s.final)
}

/** Records a claim's outcome on a CU: counted, its verdict when it did not hold, or a note. */
export function settle(state: CuState, outcome: ClaimOutcome, counter: ClaimCounter, messageId: string, trusted: Trusted | undefined): void {
  if (outcome.held === undefined) {
    state.notes.push(outcome.note)
    return
  }
  if (outcome.held) {
    if (counter === 'checkpoints') state.checked.checkpoints++
    else state.checked[counter] = true
    state.notes.push(...outcome.notes)
    return
  }
  state.final = divergenceVerdict(state, outcome.divergence, messageId, trusted)
}

/**
 * Records a message result's outcome on a CU: counted, diverged at it, or unchecked from it on
 * (a result the CU could not give ends its checking).
 */
export function settleResult(state: CuState, outcome: ClaimOutcome, nonce: number, messageId: string, trusted: Trusted | undefined): void {
  if (outcome.held === undefined) {
    state.final = { status: 'unchecked', cu: state.cu, reason: outcome.note, nonce }
    return
  }
  state.checked.results++
  if (outcome.held) return
  const { field, local, remote } = outcome.divergence
  state.final = { status: 'diverged', cu: state.cu, nonce, claim: 'result', messageId, field, local, remote, ...(trusted ? { trusted } : {}) }
}

/** A claim that did not hold as the CU's verdict, with what held before it and, for memory, the host profiles tried. */
function divergenceVerdict(state: CuState, d: ClaimDivergence, messageId: string, trusted: Trusted | undefined): Verdict {
  return {
    status: 'diverged',
    cu: state.cu,
    nonce: d.nonce,
    claim: d.claim,
    messageId,
    field: d.field,
    local: d.local,
    remote: d.remote,
    ...(d.claimId ? { claimId: d.claimId } : {}),
    checked: { ...state.checked },
    ...(d.hostProfiles ? { hostProfiles: d.hostProfiles } : {}),
    ...(state.hostProfile && isMemoryClaim(d.claim) ? { hostProfile: state.hostProfile } : {}),
    ...(trusted ? { trusted } : {}),
    ...(d.notes.length ? { notes: d.notes } : {}),
  }
}

/**
 * The judge of claims: a memory claim that did not hold is first rechecked under the other host
 * `profiles` (replayed lazily by `replays`); it is a divergence only when none reproduces the
 * CU's memory and every profile could be replayed.
 */
export function createJudge(profiles: readonly HostProfile[], replays: () => HostProfileReplays, trusted: Trusted | undefined): Judge {
  return async (state, outcome, counter, messageId) => {
    if (outcome.held !== false || !outcome.recheck || !profiles.length || !isMemoryClaim(outcome.divergence.claim)) return settle(state, outcome, counter, messageId, trusted)
    const found = await recheckUnderProfiles(replays(), profiles, state.hostProfile, outcome.divergence.nonce, outcome.recheck)
    if (found.held) {
      if (state.hostProfile && state.hostProfile.id !== found.profile.id) state.notes.push(`Its ${outcome.divergence.claim} at nonce ${outcome.divergence.nonce} holds under host profile ${found.profile.label}, its earlier memory claims under ${state.hostProfile.label}.`)
      state.hostProfile ??= found.profile
      return settle(state, { held: true, notes: [] }, counter, messageId, trusted)
    }
    const divergence = found.divergence ?? outcome.divergence
    if (found.notes.length) {
      // A profile that could not be replayed might have reproduced the CU's memory: no accusation.
      const note = `Its ${divergence.claim} at nonce ${divergence.nonce} differs from this replay's memory, and it could not be checked under every host profile, so it is not called a divergence: ${found.notes.join(' ')}`
      return settle(state, { held: undefined, note }, counter, messageId, trusted)
    }
    const tried = [defaultHostProfile, ...found.tried]
    const notes = [
      ...divergence.notes,
      `Its message results agree up to here (${state.checked.results} compared); its memory matches none of the host profiles it was replayed under: ${tried.map((p) => p.label).join('; ')}.`,
    ]
    settle(state, { held: false, divergence: { ...divergence, notes, hostProfiles: tried.map((p) => p.id) } }, counter, messageId, trusted)
  }
}

/** Every CU's verdict at the end: the open ones verified to `reached`, each with its notes. */
export function finalVerdicts(states: Map<string, CuState>, cus: readonly string[], reached: number, trusted: Trusted | undefined): Verdict[] {
  for (const state of states.values()) {
    if (!state.final) state.final = { status: 'verified', cu: state.cu, nonce: reached, checked: state.checked, ...(state.hostProfile ? { hostProfile: state.hostProfile } : {}), ...(trusted ? { trusted } : {}) }
    if (state.notes.length && state.final.status !== 'unchecked') state.final.notes = state.notes
  }
  return cus.map((cu) => states.get(cu)!.final!)
}
