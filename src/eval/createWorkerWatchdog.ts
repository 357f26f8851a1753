import { EvaluationTimeoutError, EvaluatorStoppedError, EvaluatorWorkerError } from './errors.ts'

/** A worker's watchdog: runs calls under a timeout and stops the worker when one hangs or it crashes. */
export type WorkerWatchdog = {
  /**
   * Runs `work` unless the worker crashed or was stopped; rejects when it takes longer than
   * `timeoutMs` (stopping the worker: it cannot be interrupted otherwise), naming `what()`.
   */
  guarded<T>(work: () => Promise<T>, timeoutMs: number, what: () => string): Promise<T>
  /** Stops the worker; calls running or made later fail with EvaluatorStoppedError. */
  terminate(): void
  /** Whether the worker crashed or was stopped. */
  gone(): boolean
}

const restartHint = 'Its state is gone. Replay again to start a fresh worker; if it fails again, see the console for why the worker failed.'

/**
 * Creates the watchdog of a started worker. `crashes` registers the listener the worker calls
 * when it fails on its own; `stop` frees the worker (called once, by `terminate`).
 */
export function createWorkerWatchdog(crashes: (listener: (error: Error) => void) => void, stop: () => void): WorkerWatchdog {
  let terminated = false
  let crashed: Error | undefined
  let interrupt: ((error: Error) => void) | undefined
  const crashError = (error: Error) => new EvaluatorWorkerError(`the evaluator worker failed: ${error.message}`, { details: restartHint, cause: error })
  crashes((error) => {
    if (terminated) return
    crashed = error
    interrupt?.(crashError(error))
  })
  const terminate = () => {
    if (terminated) return
    terminated = true
    interrupt?.(new EvaluatorStoppedError('the evaluator was stopped', { details: 'It was terminated while this call ran; create a new evaluator to go on.' }))
    stop()
  }

  async function guarded<T>(work: () => Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
    if (crashed) throw crashError(crashed)
    if (terminated) throw new EvaluatorStoppedError('this evaluator was stopped; create a new one')
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

  return { guarded, terminate, gone: () => crashed !== undefined || terminated }
}
