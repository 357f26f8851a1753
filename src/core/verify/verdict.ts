import type { HostProfile } from '../host/types.ts'
import type { ResultField } from './diffResults.ts'

/**
 * The kinds of claim a CU makes, cheapest to check first after the SU's hash chain: its
 * signed checkpoints (SHA-256 of memory at a nonce), its state (the memory itself), each
 * message's result, and dry-runs at a pinned nonce.
 */
export type ClaimKind = 'result' | 'checkpoint' | 'state' | 'dry-run'

/**
 * Claims about memory (a checkpoint's SHA-256, the state) depend on the CU's host as well as on
 * the log (see `HostProfile`); results and dry-runs, what users' balances come from, do not.
 */
export function isMemoryClaim(claim: ClaimKind): claim is 'checkpoint' | 'state' {
  return claim === 'checkpoint' || claim === 'state'
}

/** The field of a claim that differs: a result's field, a checkpoint's `SHA-256`, `memory`. */
export type ClaimField = ResultField | 'SHA-256' | 'memory'

/** What was compared with one CU on the way to its verdict. */
export type Checked = {
  /** Message results compared. */
  results: number
  /** Signed checkpoints compared (their SHA-256 with the local memory at their nonce). */
  checkpoints: number
  /** Whether the CU's state (its memory) at the target nonce was compared. */
  state: boolean
  /** Whether a dry-run at the target nonce was compared. */
  dryRun: boolean
}

/** A replay that started from a CU's checkpoint rather than from nonce 0: trusted, not checked. */
export type Trusted = { cu: string; nonce: number; checkpointId: string }

/**
 * What a verification against one CU concluded. A verdict is a value: "diverged" means checked
 * and different; "unchecked" means it could not be checked (never a divergence). `notes` carry
 * what was not compared and why (a checkpoint not signed by the CU, a state not ready).
 * `hostProfile`: the CU's memory claims held only when replayed under this host profile (not
 * Holoscope's own), i.e. verified with that CU's host. A diverged memory claim lists the host
 * profiles it was replayed under (`hostProfiles`, ids) and what held before it (`checked`).
 */
export type Verdict =
  | { status: 'verified'; cu: string; nonce: number; checked?: Checked; hostProfile?: HostProfile; trusted?: Trusted; notes?: string[] }
  | {
      status: 'diverged'
      cu: string
      nonce: number
      claim?: ClaimKind
      messageId: string
      field: ClaimField
      local: unknown
      remote: unknown
      /** The claim's own id (a checkpoint data item), when it has one. */
      claimId?: string
      /** What held before the divergence (results that agree before a memory divergence, say). */
      checked?: Checked
      /** For a memory claim: the host profiles it was replayed under, none reproducing it. */
      hostProfiles?: string[]
      /** For a memory claim: the host profile the CU's earlier memory claims held under, when not Holoscope's. */
      hostProfile?: HostProfile
      trusted?: Trusted
      notes?: string[]
    }
  | { status: 'unchecked'; cu: string; reason: string; nonce?: number }

/** A kind of claim as a person reads it. */
export const claimLabel: Record<ClaimKind, string> = {
  result: 'message result',
  checkpoint: 'signed checkpoint',
  state: 'state (memory)',
  'dry-run': 'dry-run',
}

/**
 * What was proven against a CU, in two parts, as a person reads them: its results ("14 message
 * results, a dry-run": what users' balances come from) and its memory claims ("3 signed
 * checkpoints, its state"; undefined when none was compared).
 */
export function describeChecked(checked: Checked): { results: string; memory: string | undefined } {
  const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`
  const results = [count(checked.results, 'message result')]
  if (checked.dryRun) results.push('a dry-run')
  const memory: string[] = []
  if (checked.checkpoints) memory.push(count(checked.checkpoints, 'signed checkpoint'))
  if (checked.state) memory.push('its state')
  return { results: results.join(', '), memory: memory.length ? memory.join(', ') : undefined }
}
