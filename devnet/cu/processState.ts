import type { EvalResult } from '../../src/core/message/types.ts'
import type { WorkerEvaluator } from '../../src/eval/createWorkerEvaluator.ts'
import type { Snapshot } from '../../src/core/evaluator/snapshot.ts'
import { loadProcessContext, type ProcessContext, type ProcessSources } from './loadProcessContext.ts'

/** One evaluated message: its result and where it is in the log. */
export type Evaluated = {
  nonce: number
  messageId: string
  timestamp: number
  blockHeight: number
  hashChain: string | undefined
  assignmentId: string
  result: EvalResult
}

/** What a CU keeps per process: its context, its hot evaluator, cached results and snapshots. */
export type ProcessState = ProcessContext & {
  /** The evaluator at `last` (undefined until needed, or after it failed). */
  hot: WorkerEvaluator | undefined
  last: Evaluated | undefined
  byNonce: Map<number, Evaluated>
  byMessage: Map<string, number>
  /** The first assignment whose Hash-Chain does not follow: nothing from it on is evaluated. */
  broken: { nonce: number; messageId: string; timestamp: number } | undefined
  /** Memory after each checkpointed nonce, to rebuild earlier states from. */
  snapshots: Map<number, Snapshot>
  /** Serialises everything that uses `hot` or moves `last`. */
  lock: Promise<unknown>
}

/** The processes of one CU: loaded once each, on first use. */
export type ProcessStates = {
  /**
   * The state of a process, loading its context on first use; a process that could not be
   * loaded is tried afresh on the next call.
   *
   * @throws HttpError as `loadProcessContext` does
   */
  get(id: string): Promise<ProcessState>
  /** The state of a process already loaded, else undefined (nothing is loaded). */
  loaded(id: string): ProcessState | undefined
}

/** Creates the process registry of a CU, loading contexts from `sources`. */
export function processStates(sources: ProcessSources): ProcessStates {
  const loading = new Map<string, Promise<ProcessState>>()
  const loaded = new Map<string, ProcessState>()
  return {
    get(id) {
      let state = loading.get(id)
      if (!state) {
        state = loadProcessContext(id, sources).then((context) => {
          const s = newProcessState(context)
          loaded.set(id, s)
          return s
        })
        loading.set(id, state)
        // A process that could not be loaded (not yet on the gateway, refused) is tried afresh next time.
        state.catch(() => loading.delete(id))
      }
      return state
    },
    loaded: (id) => loaded.get(id),
  }
}

function newProcessState(context: ProcessContext): ProcessState {
  return { ...context, hot: undefined, last: undefined, byNonce: new Map(), byMessage: new Map(), broken: undefined, snapshots: new Map(), lock: Promise.resolve() }
}

/** Runs `work` after everything queued on the process's lock; a failure does not block later work. */
export function withLock<T>(state: ProcessState, work: () => Promise<T>): Promise<T> {
  const run = state.lock.then(work)
  state.lock = run.catch(() => undefined)
  return run
}

/** The last evaluated message at or before nonce `nonce` (results are cached contiguously). */
export function evaluatedAt(state: ProcessState, nonce: number): Evaluated | undefined {
  for (let n = Math.min(nonce, state.last?.nonce ?? -1); n >= 0; n--) {
    const entry = state.byNonce.get(n)
    if (entry) return entry
  }
  return undefined
}

/** Checkpoint snapshots a CU keeps in memory per process, besides every 8th older one. */
const keptSnapshots = 4

/**
 * Keeps the memory after `nonce` (a checkpointed nonce, a multiple of `checkpointEvery`), as a
 * ladder, not every one: the newest few, and every 8th older one.
 */
export function keepSnapshot(state: ProcessState, nonce: number, snapshot: Snapshot, checkpointEvery: number): void {
  state.snapshots.set(nonce, snapshot)
  const kept = [...state.snapshots.keys()].sort((a, b) => a - b)
  for (const [i, n] of kept.entries()) {
    if (i < kept.length - keptSnapshots && (n / checkpointEvery) % 8 !== 0) state.snapshots.delete(n)
  }
}
