import { BaseError } from '../core/errors/BaseError.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import { createWorkerEvaluator, type WorkerEvaluator, type WorkerHandle } from '../eval/createWorkerEvaluator.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import { forgetModule } from './moduleCache.ts'

/** A call on a verification that was stopped (its worker is gone). */
export class VerificationStoppedError extends BaseError {
  override name = 'VerificationStoppedError'
}

/** What the evaluator runs: the module, its options, the state to restore, the watchdog's limit. */
export type EvaluatorLoad = { moduleId: string; wasm: Uint8Array; moduleOptions: ModuleOptions; snapshot: Snapshot | undefined; messageTimeoutMs: number }

/**
 * A verification's worker, booted on demand (its script is large: it boots while other things
 * load), and the hot evaluator in it, started once it is needed. `stop` ends both whenever,
 * and whatever was registered with `onStop`.
 */
export type LazyEvaluator = {
  /** The worker, spawned on the first call. */
  boot(): WorkerHandle
  /** Sets what the evaluator runs; before the first `ready`. */
  load(load: EvaluatorLoad): void
  /** The evaluator with the module loaded and the snapshot restored; the first call starts it. */
  ready(): Promise<WorkerEvaluator>
  /** An evaluator each of whose calls waits for `ready`; its `terminate` is `stop`. */
  evaluator: WorkerEvaluator
  readonly stopped: boolean
  stop(): void
  onStop(listener: () => void): void
}

/** A lazily started evaluator over workers from `spawn` (see `LazyEvaluator`). */
export function createLazyEvaluator(spawn: () => WorkerHandle): LazyEvaluator {
  let worker: WorkerHandle | undefined
  let stopped = false
  let load: EvaluatorLoad | undefined
  let starting: Promise<WorkerEvaluator> | undefined
  let ready: Promise<WorkerEvaluator> | undefined
  const listeners: Array<() => void> = []
  const boot = () => (worker ??= spawn())

  const start = (): Promise<WorkerEvaluator> => {
    if (stopped) return Promise.reject(new VerificationStoppedError('This verification was stopped; its worker is gone. Start it again to go on.'))
    if (!load) return Promise.reject(new VerificationStoppedError('The evaluator was asked for before its module was loaded.'))
    const { moduleId, wasm, moduleOptions, messageTimeoutMs } = load
    starting = createWorkerEvaluator(boot, wasm, moduleOptions, { mode: 'hot', messageTimeoutMs }).catch((error: unknown) => {
      forgetModule(moduleId)
      throw error
    })
    starting.catch(() => undefined)
    return starting
  }
  const getReady = (): Promise<WorkerEvaluator> => {
    if (!ready) {
      const snapshot = load?.snapshot
      ready = start().then(async (evaluator) => {
        if (snapshot) await evaluator.restore(snapshot)
        return evaluator
      })
      ready.catch(() => undefined)
    }
    return ready
  }
  const stop = () => {
    stopped = true
    listeners.forEach((listener) => listener())
    if (starting) void starting.then((e) => e.terminate(), () => undefined)
    else worker?.terminate()
  }
  return {
    boot,
    load: (given) => void (load = given),
    ready: getReady,
    evaluator: {
      evaluate: async (...args) => (await getReady()).evaluate(...args),
      query: async (...args) => (await getReady()).query(...args),
      snapshot: async () => (await getReady()).snapshot(),
      restore: async (snapshot) => (await getReady()).restore(snapshot),
      digest: async (length) => (await getReady()).digest(length),
      terminate: stop,
    },
    get stopped() {
      return stopped
    },
    stop,
    onStop: (listener) => void listeners.push(listener),
  }
}
