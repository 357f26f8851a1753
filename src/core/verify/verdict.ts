import type { ResultField } from './diffResults.ts'

/**
 * The kinds of claim a CU makes, cheapest to check first after the SU's hash chain: its
 * signed checkpoints (SHA-256 of memory at a nonce), its state (the memory itself), each
 * message's result, and dry-runs at a pinned nonce.
 */
export type ClaimKind = 'result' | 'checkpoint' | 'state' | 'dry-run'

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
 */
export type Verdict =
  | { status: 'verified'; cu: string; nonce: number; checked?: Checked; trusted?: Trusted; notes?: string[] }
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
