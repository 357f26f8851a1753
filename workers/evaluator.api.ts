import { transfer } from 'comlink'
import type { AoEnv, AoMessage, EvalResult } from '../src/core/message/types.ts'
import type { HostProfile } from '../src/core/host/types.ts'
import type { ModuleOptions } from '../src/core/module/types.ts'
import { createEvaluator, type EvaluatorMode } from '../src/eval/createEvaluator.ts'
import { memoryDigest, type MemoryDigest } from '../src/eval/memoryDigest.ts'
import type { Evaluator, Snapshot } from '../src/eval/types.ts'
import { pinHostEnvironment } from './pinHostEnvironment.ts'

/** An error as plain data (errors do not cross a worker boundary as classes). */
export type ErrorInfo = { name: string; message: string; details?: string }

/** The outcome of `load`. */
export type LoadOutcome = { ok: true } | { ok: false; error: ErrorInfo }

/** One evaluated message of a batch: its result and, when asked, the memory digest after it. */
export type Step = { result: EvalResult; memory?: MemoryDigest }

/** What `evaluateOnPort` posts on the step port for each message: its run and its step. */
export type PortStep = { run: number; step: Step }

/** The end of a channel the worker posts steps on (a DOM or a Node MessagePort). */
export type StepPort = { postMessage(message: PortStep): void }

/**
 * The evaluator API a worker exposes: plain async functions over plain data, one process per
 * worker (ao-loader replaces the realm's clocks and randomness). Usable without a worker too.
 */
export type EvaluatorApi = ReturnType<typeof createEvaluatorApi>

/** Creates the evaluator API (what `evaluator.worker.ts` exposes). */
export function createEvaluatorApi() {
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
    if (!evaluator) throw new Error('no module loaded: call load() first')
    return evaluator
  }

  return {
    /**
     * Compiles and instantiates a module, under `host` when given (the realm's host profile: the
     * worker pinned Holoscope's default when it started). Failures come back as data.
     */
    load(wasm: Uint8Array, options: ModuleOptions, mode: EvaluatorMode = 'hot', host?: HostProfile): Promise<LoadOutcome> {
      return inOrder(() => load(wasm, options, mode, host))
    },
    /** Sets the port `evaluateOnPort` posts steps on (transferred to the worker). */
    connect(port: StepPort): void {
      stepPort = port
    },
    /**
     * Evaluates messages in order and posts each step (with `digests`, also the memory digest
     * after the message) on the connected port as soon as it is done: a caller sends many
     * messages per call (a call costs far more than a posted step) and still hears of each
     * message, even when a later one never ends. `run` names the caller's run; once a call of a
     * run fails, its later calls evaluate nothing.
     */
    evaluateOnPort(run: number, messages: AoMessage[], env: AoEnv, digests = false): Promise<void> {
      return inOrder(() => evaluateOnPort(run, messages, env, digests))
    },
    /** Evaluates a read-only message on the current state. */
    query(msg: AoMessage, env: AoEnv): Promise<EvalResult> {
      return inOrder(() => current().query(msg, env))
    },
    /** The current state, moved to the caller. */
    snapshot(): Promise<Snapshot> {
      return inOrder(() => {
        const snapshot = current().snapshot()
        return transfer(snapshot, [snapshot.memory.buffer])
      })
    },
    /** Replaces the state. */
    restore(snapshot: Snapshot): Promise<void> {
      return inOrder(() => current().restore(snapshot))
    },
    /** The digest of the current memory (optionally over its first `length` bytes). */
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
    if (!stepPort) throw new Error('no step port: call connect() first')
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
