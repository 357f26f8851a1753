import type { Checkpoint } from '../core/checkpoint/types.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import { cumulativeGenesis } from '../core/verify/cumulativeHash.ts'
import type { Verdict } from '../core/verify/verdict.ts'
import type { LoadOutcome, Store, StoredResult, StoredVerdict } from '../store/openStore.ts'

/** Where the replay started: nonce 0, a local checkpoint, or a CU's checkpoint (trusted). */
export type Start = { source: 'genesis' } | { source: 'local-checkpoint'; nonce: number } | { source: 'cu-checkpoint'; nonce: number; cu: string; checkpointId: string }

/** Where a replay resumes: the state to restore and what is known of the history before it. */
export type Resume = {
  start: Start
  snapshot: Snapshot | undefined
  previous: { assignmentId: string; hashChain: string } | undefined
  cumulative: string
  hashChain: string | undefined
  timestamp: number
  blockHeight: number
  messageId: string | undefined
  /** The stored verdicts, by CU. */
  prior: Map<string, Verdict>
}

/** The newest local checkpoint of a process, loaded ahead (it is checked against the target later). */
export type PreloadedCheckpoint = Promise<{ checkpoint: Checkpoint; loaded: LoadOutcome; results: StoredResult[] } | undefined>

/** Resuming from nonce 0: nothing restored, nothing known before it. */
export function genesisResume(prior = new Map<string, Verdict>()): Resume {
  return { start: { source: 'genesis' }, snapshot: undefined, previous: undefined, cumulative: cumulativeGenesis, hashChain: undefined, timestamp: 0, blockHeight: 0, messageId: undefined, prior }
}

/** Starts loading the newest local checkpoint of a process, with its result, while other things load. */
export function preloadNewestCheckpoint(store: Store, processId: string): PreloadedCheckpoint {
  const preload = store.latestCheckpoint(processId).then(async (checkpoint) => {
    if (!checkpoint) return undefined
    const key = { processId, nonce: checkpoint.nonce }
    const [loaded, results] = await Promise.all([store.loadCheckpoint(key), store.getResults(processId, checkpoint.nonce, checkpoint.nonce)])
    return { checkpoint, loaded, results }
  })
  preload.catch(() => undefined)
  return preload
}

/** What `resumePoint` reads: the store, the process, the target, the CUs, and what was preloaded. */
export type ResumeOptions = {
  store: Store | undefined
  processId: string
  targetNonce: number
  cus: readonly string[]
  notice: (text: string) => void
  /** Ignore the stored verdicts (compare every claim again). */
  recheck: boolean
  newest?: PreloadedCheckpoint | undefined
  verdicts?: Promise<StoredVerdict[]> | undefined
}

/**
 * Where a replay resumes: the newest local checkpoint at or below the target that loads intact
 * (a corrupted one is dropped with a notice and the next older tried) and whose earlier results
 * are stored for every CU not yet compared that far; else nonce 0.
 */
export async function resumePoint(options: ResumeOptions): Promise<Resume> {
  const { store, processId, targetNonce, cus, notice } = options
  if (!store) return genesisResume()
  const stored = options.recheck ? [] : await (options.verdicts ?? store.getVerdicts(processId))
  const prior = new Map(stored.filter((v) => v.verdict.nonce !== undefined && v.verdict.nonce <= targetNonce).map((v) => [v.verdict.cu, v.verdict]))
  let newest = options.newest
  for (let below = targetNonce; ; ) {
    const preloaded = await newest?.catch(() => undefined)
    newest = undefined
    const checkpoint: Checkpoint | undefined = preloaded && preloaded.checkpoint.nonce <= below ? preloaded.checkpoint : await store.latestCheckpoint(processId, below)
    if (!checkpoint) return genesisResume(prior)
    const loaded = preloaded?.checkpoint === checkpoint ? preloaded.loaded : await store.loadCheckpoint({ processId, nonce: checkpoint.nonce })
    if (loaded.status === 'corrupted') notice(`${loaded.error.message} It was discarded; the replay rebuilds it.`)
    if (loaded.status !== 'loaded' || !(await resultsBeforeStored(store, processId, checkpoint.nonce, cus, prior))) {
      below = checkpoint.nonce - 1
      continue
    }
    const results = preloaded?.checkpoint === checkpoint ? preloaded.results : await store.getResults(processId, checkpoint.nonce, checkpoint.nonce)
    return fromCheckpoint(checkpoint, loaded.snapshot, results[0]?.messageId, prior)
  }
}

/** Whether the results before a checkpoint are stored for every CU not compared up to it (else start earlier). */
async function resultsBeforeStored(store: Store, processId: string, nonce: number, cus: readonly string[], prior: Map<string, Verdict>): Promise<boolean> {
  const needed = Math.min(...cus.map((cu) => coveredBy(prior.get(cu))), nonce)
  if (needed >= nonce) return true
  const stored = await store.getResults(processId, needed + 1, nonce)
  return stored.length === nonce - needed && stored.every((r) => r.result)
}

function fromCheckpoint(checkpoint: Checkpoint, snapshot: Snapshot, messageId: string | undefined, prior: Map<string, Verdict>): Resume {
  return {
    start: { source: 'local-checkpoint', nonce: checkpoint.nonce },
    snapshot,
    previous: checkpoint.assignmentId && checkpoint.hashChain ? { assignmentId: checkpoint.assignmentId, hashChain: checkpoint.hashChain } : undefined,
    cumulative: checkpoint.cumulativeHash ?? cumulativeGenesis,
    hashChain: checkpoint.hashChain || undefined,
    timestamp: checkpoint.timestamp,
    blockHeight: checkpoint.blockHeight,
    messageId,
    prior,
  }
}

/** The nonce up to which a CU's stored verdict has compared results (-1: none). */
export function coveredBy(verdict: Verdict | undefined): number {
  return verdict?.status === 'verified' ? verdict.nonce : -1
}
