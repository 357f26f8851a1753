import { transfer } from 'comlink'
import type { AoEnv, AoMessage, EvalResult } from '../src/core/message/types.ts'
import type { HostProfile } from '../src/core/host/types.ts'
import type { ModuleOptions } from '../src/core/module/types.ts'
import type { EvaluatorMode } from '../src/core/evaluator/evaluatorMode.ts'
import type { MemoryDigest } from '../src/core/evaluator/memoryDigest.ts'
import type { ErrorInfo, EvaluatorApi, LoadOutcome, StepPort } from '../src/core/evaluator/protocol.ts'
import type { Snapshot } from '../src/core/evaluator/snapshot.ts'
import { createEvaluator } from '../src/eval/createEvaluator.ts'
import { EvaluatorApiOrderError } from '../src/eval/errors.ts'
import { memoryDigest } from '../src/eval/memoryDigest.ts'
import type { Evaluator } from '../src/eval/types.ts'
import { pinHostEnvironment } from './pinHostEnvironment.ts'

/**
 * Creates the evaluator API (what `evaluator.worker.ts` exposes).
 *
 * @throws EvaluatorApiOrderError (from its calls) when a module is evaluated before `load` or `connect`
 */
export function createEvaluatorApi(): EvaluatorApi {
  let evaluator: Evaluator | undefined
  let stepPort: StepPort | undefined
  // The run whose call failed: its later calls evaluate nothing.
  let failedRun: number | undefined

  // Calls can arrive while one is still running (a caller sends messages ahead): they run
  // one after the other, in the order they came, never interleaved.
  let queue: Promise<unknown> = Promise.resolve()
  function inOrder<T>(work: () => T | Promise<T>): Promise<T> {
    const run = queue.then(work)
    queue = run.catch(() => undefined)
    return run
  }

  function current(): Evaluator {
    if (!evaluator) throw new EvaluatorApiOrderError('no module loaded: call load() first', { details: 'The evaluator worker was asked to evaluate before a module was loaded in it: load the module, then evaluate.' })
    return evaluator
  }

  // Each method is documented on EvaluatorApi.
  return {
    load(wasm: Uint8Array, options: ModuleOptions, mode: EvaluatorMode = 'hot', host?: HostProfile): Promise<LoadOutcome> {
      return inOrder(() => load(wasm, options, mode, host))
    },
    connect(port: StepPort): void {
      stepPort = port
    },
    evaluateOnPort(run: number, messages: AoMessage[], env: AoEnv, digests = false): Promise<void> {
      return inOrder(() => evaluateOnPort(run, messages, env, digests))
    },
    query(msg: AoMessage, env: AoEnv): Promise<EvalResult> {
      return inOrder(() => current().query(msg, env))
    },
    snapshot(): Promise<Snapshot> {
      return inOrder(() => {
        const snapshot = current().snapshot()
        return transfer(snapshot, [snapshot.memory.buffer])
      })
    },
    restore(snapshot: Snapshot): Promise<void> {
      return inOrder(() => current().restore(snapshot))
    },
    digest(length?: number): Promise<MemoryDigest> {
      return inOrder(() => memoryDigest(current().memory(), length))
    },
    dispose(): void {
      evaluator?.dispose()
      evaluator = undefined
    },
  }

  async function load(wasm: Uint8Array, options: ModuleOptions, mode: EvaluatorMode, host: HostProfile | undefined): Promise<LoadOutcome> {
    evaluator?.dispose()
    evaluator = undefined
    try {
      if (host) pinHostEnvironment(host)
      evaluator = await createEvaluator(wasm, options, { mode })
      return { ok: true }
    } catch (error) {
      return { ok: false, error: errorInfo(error) }
    }
  }

  async function evaluateOnPort(run: number, messages: AoMessage[], env: AoEnv, digests: boolean): Promise<void> {
    if (run === failedRun) return
    if (!stepPort) throw new EvaluatorApiOrderError('no step port: call connect() first', { details: 'The evaluator worker posts each step on a port the caller connects: connect one, then evaluate.' })
    try {
      for (const msg of messages) {
        const result = await current().evaluate(msg, env)
        stepPort.postMessage({ run, step: digests ? { result, memory: await memoryDigest(current().memory()) } : { result } })
      }
    } catch (error) {
      failedRun = run
      throw error
    }
  }
}

/** An error as plain data, keeping a Holoscope error's details. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const details = (error as { details?: unknown }).details
    return typeof details === 'string' ? { name: error.name, message: error.message, details } : { name: error.name, message: error.message }
  }
  return { name: 'Error', message: String(error) }
}
