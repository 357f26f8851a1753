import { checkpointDue } from '../core/checkpoint/checkpointDue.ts'
import type { CheckpointPolicy } from '../core/checkpoint/checkpointPolicy.ts'
import { describeError } from '../core/errors/describeError.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import type { WorkerEvaluator } from '../eval/createWorkerEvaluator.ts'
import type { Store } from '../store/openStore.ts'
import type { CuState } from './cuVerdicts.ts'
import type { ReplayCursor } from './replayCursor.ts'

/** What the checkpoints of a replay are kept by: the store (none: nothing kept), the policy, the process. */
export type LocalCheckpointsOptions = {
  store: Store | undefined
  /** A replay from a trusted CU checkpoint keeps none (its history is not verified). */
  trusted: boolean
  policy: CheckpointPolicy
  processId: string
  moduleId: string
  evaluator: WorkerEvaluator
  notice: (text: string | undefined) => void
  /** The CUs still checked: each gets a verified verdict up to the checkpoint. */
  open: () => CuState[]
}

/** The checkpoints a replay takes as it goes (see `createLocalCheckpoints`). */
export type LocalCheckpoints = {
  /** Messages and evaluation time since the last checkpoint. */
  readonly since: { messages: number; evaluationMs: number }
  /** Counts evaluated messages and the time they took. */
  count(messages: number, evaluationMs: number): void
  /** Whether the policy wants a checkpoint now (mid-replay). */
  due(): boolean
  /** Whether a run of `length` more messages would reach the policy's message count. */
  wouldFill(length: number): boolean
  /**
   * Stores the evaluator's memory (or `memory`) as a checkpoint at the cursor, prunes older ones
   * by the policy and records the open CUs' verdicts there; returns the memory stored. A failed
   * write is a notice: the replay goes on.
   */
  take(cursor: ReplayCursor, memory?: Snapshot): Promise<Snapshot | undefined>
}

/** Local checkpoints kept by `policy` in `store` while replaying. */
export function createLocalCheckpoints(options: LocalCheckpointsOptions): LocalCheckpoints {
  const { store, trusted, policy, processId, moduleId, evaluator, notice } = options
  let since = { messages: 0, evaluationMs: 0 }
  const keep = async (cursor: ReplayCursor, snapshot: Snapshot, store: Store) => {
    const { reached, last } = cursor
    const point = { processId, moduleId, nonce: reached, timestamp: last.timestamp, blockHeight: last.blockHeight, hashChain: cursor.hashChain ?? '', cumulativeHash: cursor.cumulative, assignmentId: last.assignmentId }
    notice((await store.putCheckpoint(point, snapshot)).notice)
    await store.pruneCheckpoints(processId, policy)
    for (const state of options.open()) {
      await store.putVerdict(processId, { status: 'verified', cu: state.cu, nonce: reached, checked: state.checked, ...(state.hostProfile ? { hostProfile: state.hostProfile } : {}) })
    }
  }
  return {
    get since() {
      return since
    },
    count(messages, evaluationMs) {
      since.messages += messages
      since.evaluationMs += evaluationMs
    },
    due: () => checkpointDue({ ...since, atEnd: false }, policy),
    wouldFill: (length) => Boolean(store) && !trusted && since.messages + length >= policy.everyMessages,
    async take(cursor, memory) {
      if (!store || trusted) return memory
      const snapshot = memory ?? (await evaluator.snapshot())
      try {
        await keep(cursor, snapshot, store)
      } catch (error) {
        notice(`A checkpoint at nonce ${cursor.reached} could not be stored: ${describeError(error).message}. The replay goes on.`)
      }
      since = { messages: 0, evaluationMs: 0 }
      return snapshot
    },
  }
}
