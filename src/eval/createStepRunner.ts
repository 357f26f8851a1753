import type { Remote } from 'comlink'
import type { EvaluatorApi, PortStep, Step } from '../core/evaluator/protocol.ts'
import type { AoEnv, AoMessage } from '../core/message/types.ts'
import type { WorkerWatchdog } from './createWorkerWatchdog.ts'

/** Evaluates messages in order in the worker; `onStep` hears each step as it comes. */
export type StepRunner = (messages: AoMessage[], env: AoEnv, digests: boolean, onStep?: (step: Step, index: number) => void) => Promise<Step[]>

/** Messages per call to the worker, and calls sent ahead of the one running. */
const batchSize = 16
const batchesAhead = 3

/**
 * Runs messages in a worker whose steps come back on `port` (the worker's step port is the
 * other end): messages go out many per call and ahead of the one running, each step comes back
 * as its own posted message, and the watchdog times each message alone. Runs never overlap.
 */
export function createStepRunner(api: Remote<EvaluatorApi>, port: MessagePort, watchdog: WorkerWatchdog, messageTimeoutMs: number): StepRunner {
  // The steps of the current run, as they arrive, and whether one of its calls failed.
  let run = 0
  let received: Step[] = []
  let failed: { error: unknown } | undefined
  let wake: (() => void) | undefined
  port.onmessage = (event: MessageEvent<PortStep>) => {
    if (event.data.run !== run) return
    received.push(event.data.step)
    wake?.()
  }

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
    if (watchdog.gone()) return watchdog.guarded(() => Promise.resolve([]), messageTimeoutMs, () => 'evaluating')
    const thisRun = ++run
    received = []
    failed = undefined
    // Each step is posted as soon as it is done and the worker runs messages in order, so the
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
      const step = await watchdog.guarded(() => nextStep(i), messageTimeoutMs, () => describeMessage(msg))
      onStep?.(step, i)
      send(i + 1)
    }
    return received
  }

  // Runs never overlap: steps on the port belong to the one running.
  let exclusive: Promise<unknown> = Promise.resolve()
  return (messages, env, digests, onStep) => {
    const turn = exclusive.then(() => evaluateRun(messages, env, digests, onStep))
    exclusive = turn.catch(() => undefined)
    return turn
  }
}

/** A message as errors name it: its id and nonce. */
export function describeMessage(msg: AoMessage): string {
  return `message ${msg.Id ?? '(no id)'}${msg.Nonce === undefined ? '' : ` (nonce ${msg.Nonce})`}`
}
