import type { CheckpointPolicy } from '../core/checkpoint/checkpointPolicy.ts'
import type { Checkpoint, CheckpointKey, CheckpointPoint } from '../core/checkpoint/types.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import type { ModuleMeta } from '../core/message/toAoEnv.ts'
import type { EvalResult, SuNode, SuProcess } from '../core/message/types.ts'
import type { Verdict } from '../core/verify/verdict.ts'
import type { CorruptCheckpointError } from './errors.ts'
import type { CountedStore } from './schema.ts'

/** The part of `navigator.storage` the store uses. */
export type StorageLike = { persist?: () => Promise<boolean>; estimate?: () => Promise<StorageEstimate> }

/** How to open the store. */
export type StoreOptions = {
  /** The IndexedDB database's name, default `holoscope`. */
  name?: string
  /** Store at most this many bytes (by the store's own count): past it a write fails as on a full disk. */
  maxBytes?: number
  /** Bytes per memory chunk, default 1 MiB: well below any browser's limit on one value. */
  chunkSize?: number
  /** Default `navigator.storage`, when there is one. */
  storage?: StorageLike
  /** Called when tabs with an older Holoscope keep the database open; the open waits for them. */
  onBlocked?: () => void
}

/**
 * What became of a write. `stored` is false only when storage was full even after evicting
 * every checkpoint that could go; `notice` then says so for the user, and also when checkpoints
 * were evicted to make room.
 */
export type WriteOutcome = { stored: boolean; evicted: CheckpointKey[]; notice?: string }

/** A module's bytes with what the gateway says of it. */
export type StoredModule = { module: ModuleMeta; bytes: Uint8Array }

/** A run of a process's log: the SU nodes of nonces `fromNonce` to `toNonce`, in order. */
export type LogPage = { fromNonce: number; toNonce: number; nodes: SuNode[] }

/**
 * The result of one message, kept small: the caller's digest of the normalised result (such as
 * the SHA-256 of its canonical JSON), and the result itself only when the caller gives it.
 */
export type StoredResult = { nonce: number; messageId: string; digest: string; result?: EvalResult }

/** A verdict against one CU and when it was reached (ms since epoch). */
export type StoredVerdict = { verdict: Verdict; at: number }

/**
 * Where a process's SU is: its URL and wallet, fresh until `until` (ms since epoch), and the
 * process as that SU served it (a process never changes, so it need not be asked for again).
 */
export type StoredLocation = { su: string; scheduler: string; until: number; process?: SuProcess }

/**
 * What loading a checkpoint gave. A corrupted one has been deleted; `error` says which and why.
 * `missing`: there is no such checkpoint (deleted or evicted since it was listed).
 */
export type LoadOutcome =
  | { status: 'loaded'; checkpoint: Checkpoint; snapshot: Snapshot }
  | { status: 'corrupted'; checkpoint: Checkpoint; error: CorruptCheckpointError }
  | { status: 'missing' }

/**
 * Bytes the store holds by its own count (IndexedDB has none), and per checkpoint: `raw` memory
 * bytes, `gzip` bytes of its non-zero chunks, `dedup` bytes it added when stored (chunks no other
 * checkpoint had). `estimate` is the browser's estimate for the whole site, when it gives one.
 */
export type StoreUsage = {
  bytes: number
  byStore: Partial<Record<CountedStore, number>>
  checkpoints: Array<CheckpointKey & { raw: number; gzip: number; dedup: number }>
  persisted: boolean | undefined
  estimate?: { usage?: number; quota?: number }
}

/** Holoscope's local storage: modules, log pages, checkpoints, results and verdicts. */
export type Store = {
  /** The module stored under `id`, if any. */
  getModule(id: string): Promise<StoredModule | undefined>
  putModule(module: ModuleMeta, bytes: Uint8Array): Promise<WriteOutcome>
  /**
   * The stored log of a process from `fromNonce` on, as consecutive pages that start exactly at
   * `fromNonce` and end at the first gap (or at `toNonce`); empty when `fromNonce` is not stored.
   * What is left to fetch starts at the last page's `toNonce + 1`.
   */
  getPages(processId: string, fromNonce: number, toNonce?: number): Promise<LogPage[]>
  /**
   * Stores a page of a process's log, replacing the stored pages that lie inside it; a page that
   * lies inside a stored one is not stored again.
   *
   * @throws RangeError when `nodes` does not hold exactly nonces `fromNonce` to `toNonce`
   */
  putPage(processId: string, page: LogPage): Promise<WriteOutcome>
  /**
   * Stores a snapshot as the checkpoint at `point` (replacing one at the same nonce): memory in
   * gzip chunks, each stored once however many checkpoints share it, all-zero ones not at all.
   * Asks the browser once for persistent storage. When storage is full, evicts least recently
   * used checkpoints (never the process's newest) and retries; never fails for lack of space.
   * The snapshot's memory must not change until the returned promise settles.
   *
   * @returns the outcome and the checkpoint, with the memory's SHA-256, stored or not
   */
  putCheckpoint(point: CheckpointPoint, snapshot: Snapshot): Promise<WriteOutcome & { checkpoint: Checkpoint }>
  /** The process's checkpoint with the highest nonce (at or below `atOrBelowNonce`), if any. */
  latestCheckpoint(processId: string, atOrBelowNonce?: number): Promise<Checkpoint | undefined>
  /** The process's checkpoints, by nonce. */
  listCheckpoints(processId: string): Promise<Checkpoint[]>
  /**
   * A checkpoint's snapshot, its memory checked against its SHA-256. A corrupted checkpoint is
   * deleted, with its bad chunks (so no other checkpoint reuses them), and reported as such.
   */
  loadCheckpoint(key: CheckpointKey): Promise<LoadOutcome>
  /** Deletes the process's checkpoints at `nonces` and the chunks only they used. */
  deleteCheckpoints(processId: string, nonces: readonly number[]): Promise<void>
  /** Deletes the checkpoints `policy` does not keep (see `checkpointsToDelete`); returns their nonces. */
  pruneCheckpoints(processId: string, policy: Pick<CheckpointPolicy, 'keepNewest' | 'ladderBase'>): Promise<number[]>
  /** Stores results of a process's messages (replacing those at the same nonces). */
  putResults(processId: string, results: readonly StoredResult[]): Promise<WriteOutcome>
  /** The stored results of nonces `fromNonce` to `toNonce`, by nonce (gaps left out). */
  getResults(processId: string, fromNonce: number, toNonce: number): Promise<StoredResult[]>
  /** Stores a verdict, replacing the process's last one against the same CU. */
  putVerdict(processId: string, verdict: Verdict, at?: number): Promise<WriteOutcome>
  /** The process's last verdict against each CU, by CU. */
  getVerdicts(processId: string): Promise<StoredVerdict[]>
  /** Where the process's SU was found, while that is fresh (`until` not passed at `now`). */
  getLocation(processId: string, now?: number): Promise<StoredLocation | undefined>
  /** Remembers where the process's SU is, until `location.until`. */
  putLocation(processId: string, location: StoredLocation): Promise<WriteOutcome>
  usage(): Promise<StoreUsage>
  /** Deletes everything stored of a process but its module. */
  clearProcess(processId: string): Promise<void>
  /** Closes the connection; later calls throw StoreClosedError. */
  close(): void
}
