import { releaseProxy, wrap, type Endpoint, type Remote } from 'comlink'
import type { AoEnv, AoMessage, EvalResult } from '../core/message/types.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import type { EvaluatorApi, LoadOutcome, Step } from '../../workers/evaluator.api.ts'
import type { EvaluatorMode } from './createEvaluator.ts'
import { EvaluationTimeoutError, ModuleCompileError } from './errors.ts'
import type { MemoryDigest } from './memoryDigest.ts'
import type { Snapshot } from './types.ts'

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
  { mode = 'hot', messageTimeoutMs = 60_000 }: WorkerEvaluatorOptions = {},
): Promise<WorkerEvaluator> {
  const worker = spawn()
  const api: Remote<EvaluatorApi> = wrap<EvaluatorApi>(worker.endpoint)
  let terminated = false
  let crashed: Error | undefined
  let interrupt: ((error: Error) => void) | undefined
  worker.onCrash((error) => {
    if (terminated) return
    crashed = error
    interrupt?.(new Error(`the evaluator worker failed: ${error.message}`))
  })
  const terminate = () => {
    if (terminated) return
    terminated = true
    interrupt?.(new Error('the evaluator was stopped'))
    api[releaseProxy]()
    worker.terminate()
  }

  async function guarded<T>(work: () => Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
    if (crashed) throw new Error(`the evaluator worker failed: ${crashed.message}`)
    if (terminated) throw new Error('this evaluator was stopped; create a new one')
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      interrupt = reject
      timer = setTimeout(() => {
        reject(
          new EvaluationTimeoutError(`${what()} did not finish within ${(timeoutMs / 1000).toFixed(1)} s, so its worker was stopped`, {
            details: 'The module may loop forever on this message. Its state before the message is kept in the last snapshot; raise the timeout if the message is just slow.',
          }),
        )
        terminate()
      }, timeoutMs)
    })
    try {
      return await Promise.race([work(), timeout])
    } finally {
      clearTimeout(timer)
      interrupt = undefined
    }
  }

  const loaded: LoadOutcome = await guarded<LoadOutcome>(() => api.load(wasm, options, mode), Math.max(messageTimeoutMs, 60_000), () => 'loading the module')
  if (!loaded.ok) {
    terminate()
    throw new ModuleCompileError(loaded.error.message, loaded.error.details === undefined ? {} : { details: loaded.error.details })
  }

  // Messages sent to the worker ahead of the one it is evaluating.
  const inFlight = 8
  return {
    async evaluate(messages, env, digests = false, onStep) {
      // One call per message, sent ahead so the worker never waits for a round trip; the
      // worker runs them in order, so the oldest unfinished one is the one running: the
      // watchdog times it alone and names it when it hangs.
      const calls: Array<Promise<Step[]>> = []
      let sent = 0
      const send = () => {
        while (sent < messages.length && sent - steps.length < inFlight) {
          const call = api.evaluate([messages[sent]!], env, digests)
          call.catch(() => undefined)
          calls.push(call)
          sent++
        }
      }
      const steps: Step[] = []
      if (crashed || terminated) return guarded(() => Promise.resolve([]), messageTimeoutMs, () => 'evaluating')
      send()
      for (const [i, msg] of messages.entries()) {
        const [step] = await guarded(() => calls[i]!, messageTimeoutMs, () => describe(msg))
        steps.push(step!)
        onStep?.(step!, i)
        send()
      }
      return steps
    },
    query: (msg, env) => guarded(() => api.query(msg, env), messageTimeoutMs, () => `the read-only ${describe(msg)}`),
    snapshot: () => guarded(() => api.snapshot(), messageTimeoutMs, () => 'taking a snapshot'),
    restore: (snapshot) => guarded(() => api.restore(snapshot), messageTimeoutMs, () => 'restoring a snapshot'),
    digest: (length) => guarded(() => api.digest(length), messageTimeoutMs, () => 'hashing memory'),
    terminate,
  }
}

function describe(msg: AoMessage): string {
  return `message ${msg.Id ?? '(no id)'}${msg.Nonce === undefined ? '' : ` (nonce ${msg.Nonce})`}`
}
