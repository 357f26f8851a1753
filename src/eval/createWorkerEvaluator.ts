import { releaseProxy, transfer, wrap, type Endpoint, type Remote } from 'comlink'
import type { HostProfile } from '../core/host/types.ts'
import type { AoEnv, AoMessage, EvalResult } from '../core/message/types.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import type { EvaluatorApi, LoadOutcome, PortStep, Step, StepPort } from '../../workers/evaluator.api.ts'
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
  let terminated = false
  let crashed: Error | undefined
  let interrupt: ((error: Error) => void) | undefined
  worker.onCrash((error) => {
    if (terminated) return
    crashed = error
    interrupt?.(new Error(`the evaluator worker failed: ${error.message}`))
  })
  // Steps come back on a channel of their own, one posted message each, while messages go
  // out to the worker many per call.
  const steps = new MessageChannel()
  const terminate = () => {
    if (terminated) return
    terminated = true
    interrupt?.(new Error('the evaluator was stopped'))
    api[releaseProxy]()
    steps.port1.close()
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

  const loaded: LoadOutcome = await guarded<LoadOutcome>(() => api.load(wasm, options, mode, hostProfile), Math.max(messageTimeoutMs, 60_000), () => 'loading the module')
  if (!loaded.ok) {
    terminate()
    throw new ModuleCompileError(loaded.error.message, loaded.error.details === undefined ? {} : { details: loaded.error.details })
  }

  // The steps of the current run, as they arrive, and whether one of its calls failed.
  let run = 0
  let received: Step[] = []
  let failed: { error: unknown } | undefined
  let wake: (() => void) | undefined
  steps.port1.onmessage = (event: MessageEvent<PortStep>) => {
    if (event.data.run !== run) return
    received.push(event.data.step)
    wake?.()
  }
  // A Node port would otherwise keep the process alive (the watchdog's timer does while evaluating).
  ;(steps.port1 as { unref?: () => void }).unref?.()
  await guarded(() => api.connect(transfer(steps.port2 as StepPort, [steps.port2])), messageTimeoutMs, () => 'connecting to the worker')

  const nextStep = (i: number) =>
    new Promise<Step>((resolve, reject) => {
      wake = () => {
        if (received.length > i) resolve(received[i]!)
        else if (failed) reject(failed.error)
        else return
        wake = undefined
      }
      wake()
    })

  async function evaluateRun(messages: AoMessage[], env: AoEnv, digests: boolean, onStep?: (step: Step, index: number) => void): Promise<Step[]> {
    if (crashed || terminated) return guarded(() => Promise.resolve([]), messageTimeoutMs, () => 'evaluating')
    const thisRun = ++run
    received = []
    failed = undefined
    // Messages go out in batches, sent ahead so the worker never waits for a round trip. Each
    // step is posted as soon as it is done and the worker runs messages in order, so the
    // message after the last step is the one running: the watchdog times it alone and names
    // it when it hangs.
    let sent = 0
    const send = (done: number) => {
      while (sent < messages.length && sent - done < batchSize * batchesAhead) {
        const batch = messages.slice(sent, sent + batchSize)
        api.evaluateOnPort(thisRun, batch, env, digests).catch((error: unknown) => {
          if (run !== thisRun || failed) return
          failed = { error }
          wake?.()
        })
        sent += batch.length
      }
    }
    send(0)
    for (const [i, msg] of messages.entries()) {
      const step = await guarded(() => nextStep(i), messageTimeoutMs, () => describe(msg))
      onStep?.(step, i)
      send(i + 1)
    }
    return received
  }

  // Runs never overlap: steps on the port belong to the one running.
  let exclusive: Promise<unknown> = Promise.resolve()
  return {
    evaluate(messages, env, digests = false, onStep) {
      const turn = exclusive.then(() => evaluateRun(messages, env, digests, onStep))
      exclusive = turn.catch(() => undefined)
      return turn
    },
    query: (msg, env) => guarded(() => api.query(msg, env), messageTimeoutMs, () => `the read-only ${describe(msg)}`),
    snapshot: () => guarded(() => api.snapshot(), messageTimeoutMs, () => 'taking a snapshot'),
    restore: (snapshot) => guarded(() => api.restore(snapshot), messageTimeoutMs, () => 'restoring a snapshot'),
    digest: (length) => guarded(() => api.digest(length), messageTimeoutMs, () => 'hashing memory'),
    terminate,
  }
}

/** Messages per call to the worker, and calls sent ahead of the one running. */
const batchSize = 16
const batchesAhead = 3

function describe(msg: AoMessage): string {
  return `message ${msg.Id ?? '(no id)'}${msg.Nonce === undefined ? '' : ` (nonce ${msg.Nonce})`}`
}
