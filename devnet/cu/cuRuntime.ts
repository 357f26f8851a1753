import type { WorkerEvaluator, WorkerEvaluatorOptions } from '../../src/eval/createWorkerEvaluator.ts'
import type { Wallet } from '../lib/wallets.ts'
import type { CuFaults } from './cuFaults.ts'
import type { CuLie } from './cuLies.ts'
import type { ProcessStates } from './processState.ts'

/** What the parts of one running CU share: its settings, its processes and what `stop()` must end. */
export type CuRuntime = {
  /** Signs checkpoints; its address is the CU's. */
  wallet: Wallet
  /** Where assigned messages are read and checkpoints uploaded. */
  gatewayUrl: string
  /** Random per start (the `Unit-Identifier` of its checkpoints). */
  unitId: string
  /** A checkpoint after every message whose nonce is a multiple of this (0 = never). */
  checkpointEvery: number
  faults: CuFaults
  lies: ReadonlySet<CuLie>
  /** The first nonce `lies` apply to. */
  lieFrom: number
  /** How its evaluator workers run (mode, message timeout, host profile). */
  evaluatorOptions: WorkerEvaluatorOptions
  processes: ProcessStates
  /** Evaluators not yet terminated: `stop()` terminates them. */
  live: Set<WorkerEvaluator>
  /** Checkpoint uploads in flight: `stop()` waits for them. */
  uploads: Set<Promise<void>>
  /** Set by `stop()`: no evaluator or checkpoint is started after it. */
  stopping: boolean
}
