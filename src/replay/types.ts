import type { CheckpointPolicy } from '../core/checkpoint/checkpointPolicy.ts'
import type { HostProfile } from '../core/host/types.ts'
import type { EvalResult, SuProcess, Tag } from '../core/message/types.ts'
import type { ReceiptCheck, VerificationReceipt } from '../core/verify/receipt.ts'
import type { Verdict } from '../core/verify/verdict.ts'
import type { WorkerHandle } from '../eval/createWorkerEvaluator.ts'
import type { CheckpointClaim } from '../core/checkpoint/checkpointClaim.ts'
import type { RetryPolicy, RetryWait } from '../net/withRetries.ts'
import type { Store } from '../store/openStore.ts'
import type { Start } from './resumePoint.ts'

/** Where a process is verified: the gateway, an optional SU override and the CUs to check. */
export type Endpoints = { gateway: string; su?: string | undefined; cus: string[] }

/** Progress of a verification: messages fetched and evaluated (from `start`) out of the target. */
export type VerifyProgress = { fetched: number; evaluated: number; total: number; perSecond: number }

/** What `verifyProcess` verifies, where, and what it reports along the way. */
export type VerifyOptions = {
  processId: string
  endpoints: Endpoints
  /** Verify up to this nonce (default: the SU's latest, read once and pinned). */
  toNonce?: number | undefined
  spawn: () => WorkerHandle
  /**
   * Host profiles to try besides the known ones (`knownHostProfiles`) when a CU's memory claim
   * differs while its results agree (Settings, `--host-profile`).
   */
  hostProfiles?: readonly HostProfile[] | undefined
  onProgress?: (progress: VerifyProgress) => void
  /** Called once the process, its module, the target nonce and the starting point are known. */
  onLoaded?: (loaded: LoadedProcess) => void
  /** Called whenever the CU requests waiting to be retried change: which CU, why, for how long (empty: none). */
  onWaiting?: (waits: RetryWait[]) => void
  /** Changes to the retry policy of CU requests (`withRetries`; tests inject its clock and sleep). */
  retry?: Partial<RetryPolicy> | undefined
  /** Called for what a user should know but that does not stop the verification. */
  onNotice?: (notice: string) => void
  signal?: AbortSignal
  messageTimeoutMs?: number
  /** Local storage (IndexedDB in the app): modules, log pages, checkpoints, results, verdicts. */
  store?: Store | undefined
  policy?: CheckpointPolicy | undefined
  /** Messages ahead of evaluation whose CU results are asked for at once (default 16). */
  cuWindow?: number | undefined
  /** Compare every claim again, ignoring the verdicts stored by earlier visits (checkpoints are still used). */
  recheck?: boolean | undefined
  /** Start from this CU checkpoint, trusted (labelled so in every verdict), then verify forward. */
  trustCheckpoint?: { cu: string; claim: CheckpointClaim } | undefined
}

export type { Start }

/** What was loaded before replaying. */
export type LoadedProcess = {
  processId: string
  process: SuProcess
  moduleId: string
  su: string
  targetNonce: number
  name: string | undefined
  start: Start
}

/** The outcome: a verdict per CU, and the local hot instance for queries (balances). */
export type Verification = LoadedProcess & {
  verdicts: Verdict[]
  /** The nonce the local replay reached (the target, unless every CU diverged before it). */
  reached: number
  /** Messages evaluated by this verification (0 when the state came from a checkpoint at the target). */
  evaluated: number
  /** What the user should know: evicted or corrupted checkpoints, claims that could not be checked. */
  notices: string[]
  /**
   * The CU checkpoints found for the process (for "start from here"). A promise: when every
   * verdict stands from an earlier visit, the verdicts do not wait for the CUs' listing.
   */
  cuCheckpoints: Promise<Array<CheckpointClaim & { cu: string }>>
  /** Evaluates a read-only message on the local state (a local dry-run: no CU involved). */
  query(tags: Tag[], owner?: string): Promise<EvalResult>
  /** Balances of a token process from a local `Balances` dry-run, undefined for other processes. */
  balances(): Promise<Record<string, string> | undefined>
  /** A receipt of this verification (JSON-able). */
  receipt(): Promise<VerificationReceipt>
  /**
   * Checks a receipt (another browser's, a CU's, an earlier one) against this verification. Its
   * memory and cumulative hash are compared when it ends at the nonce this one reached.
   */
  checkReceipt(receipt: VerificationReceipt): Promise<ReceiptCheck>
  dispose(): void
}
