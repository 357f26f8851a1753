import { releaseProxy, transfer, wrap, type Endpoint, type Remote } from 'comlink'
import type { HostProfile } from '../core/host/types.ts'
import type { AoEnv, AoMessage, EvalResult } from '../core/message/types.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import type { EvaluatorMode } from '../core/evaluator/evaluatorMode.ts'
import type { MemoryDigest } from '../core/evaluator/memoryDigest.ts'
import type { EvaluatorApi, LoadOutcome, Step, StepPort } from '../core/evaluator/protocol.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import { createStepRunner, describeMessage } from './createStepRunner.ts'
import { createWorkerWatchdog } from './createWorkerWatchdog.ts'
import { ModuleCompileError } from './errors.ts'

/** A started worker running `evaluator.api.ts`: its endpoint and how to stop it. */
export type WorkerHandle = {
  endpoint: Endpoint
  terminate(): void
  /** Calls `listener` when the worker fails or exits on its own. */
  onCrash(listener: (error: Error) => void): void
}

/** Options of `createWorkerEvaluator`. */
export type WorkerEvaluatorOptions = {
  mode?: EvaluatorMode
  /** Longest time one message may take before the worker is terminated (default 60 s). */
  messageTimeoutMs?: number
  /** The host the worker's glue sees (default: Holoscope's pinned one, `defaultHostProfile`). */
  hostProfile?: HostProfile | undefined
}

/** An evaluator in its own worker (its own realm), behind a watchdog. */
export type WorkerEvaluator = {
  /** Evaluates messages in order (sent ahead to the worker); `onStep` hears each result as it comes. */
  evaluate(messages: AoMessage[], env: AoEnv, digests?: boolean, onStep?: (step: Step, index: number) => void): Promise<Step[]>
  query(msg: AoMessage, env: AoEnv): Promise<EvalResult>
  snapshot(): Promise<Snapshot>
  restore(snapshot: Snapshot): Promise<void>
  digest(length?: number): Promise<MemoryDigest>
  /** Stops the worker; later calls fail. */
  terminate(): void
}

/**
 * Starts a worker with `spawn`, loads the module in it and returns its evaluator. A message
 * that runs longer than `messageTimeoutMs` (an endless loop: the worker cannot be
 * interrupted otherwise) terminates the worker and fails with EvaluationTimeoutError.
 *
 * @throws ModuleCompileError (or the load error's kind) when the module cannot be loaded
 */
export async function createWorkerEvaluator(
  spawn: () => WorkerHandle,
  wasm: Uint8Array,
  options: ModuleOptions,
  { mode = 'hot', messageTimeoutMs = 60_000, hostProfile }: WorkerEvaluatorOptions = {},
): Promise<WorkerEvaluator> {
  const worker = spawn()
  const api: Remote<EvaluatorApi> = wrap<EvaluatorApi>(worker.endpoint)
  // Steps come back on a channel of their own, one posted message each, while messages go
  // out to the worker many per call.
  const steps = new MessageChannel()
  const watchdog = createWorkerWatchdog((listener) => worker.onCrash(listener), () => {
    api[releaseProxy]()
    steps.port1.close()
    worker.terminate()
  })
  const { guarded, terminate } = watchdog

  const loaded: LoadOutcome = await guarded<LoadOutcome>(() => api.load(wasm, options, mode, hostProfile), Math.max(messageTimeoutMs, 60_000), () => 'loading the module')
  if (!loaded.ok) {
    terminate()
    throw new ModuleCompileError(loaded.error.message, loaded.error.details === undefined ? {} : { details: loaded.error.details })
  }
  const evaluate = createStepRunner(api, steps.port1, watchdog, messageTimeoutMs)
  // A Node port would otherwise keep the process alive (the watchdog's timer does while evaluating).
  ;(steps.port1 as { unref?: () => void }).unref?.()
  await guarded(() => api.connect(transfer(steps.port2 as StepPort, [steps.port2])), messageTimeoutMs, () => 'connecting to the worker')

  return {
    evaluate: (messages, env, digests = false, onStep) => evaluate(messages, env, digests, onStep),
    query: (msg, env) => guarded(() => api.query(msg, env), messageTimeoutMs, () => `the read-only ${describeMessage(msg)}`),
    snapshot: () => guarded(() => api.snapshot(), messageTimeoutMs, () => 'taking a snapshot'),
    restore: (snapshot) => guarded(() => api.restore(snapshot), messageTimeoutMs, () => 'restoring a snapshot'),
    digest: (length) => guarded(() => api.digest(length), messageTimeoutMs, () => 'hashing memory'),
    terminate,
  }
}
