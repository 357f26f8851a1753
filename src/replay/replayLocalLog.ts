import type { LocalLog } from '../core/message/parseLocalLog.ts'
import type { AoMessage } from '../core/message/types.ts'
import { moduleOptionsFromTags } from '../core/module/moduleOptionsFromTags.ts'
import type { EvaluatorMode } from '../core/evaluator/evaluatorMode.ts'
import { createWorkerEvaluator, type WorkerHandle } from '../eval/createWorkerEvaluator.ts'
import type { MemoryDigest } from '../core/evaluator/memoryDigest.ts'
import type { Step } from '../core/evaluator/protocol.ts'

/** Progress of a replay: messages done out of the total, and the rate so far. */
export type ReplayProgress = { done: number; total: number; perSecond: number }

/** Options of `replayLocalLog`. */
export type ReplayLocalLogOptions = {
  wasm: Uint8Array
  log: LocalLog
  spawn: () => WorkerHandle
  /** Overrides the log's Module-Format tag. */
  format?: string | undefined
  mode?: EvaluatorMode
  messageTimeoutMs?: number
  /** Also digest the memory after every message. */
  digests?: boolean
  onStep?: (msg: AoMessage, step: Step, progress: ReplayProgress) => void
  signal?: AbortSignal
}

/**
 * Replays a local log over a module in a worker, message by message, reporting each result.
 * Aborting terminates the worker.
 *
 * @returns the steps and the final memory digest
 * @throws ModuleOptionsError, ModuleCompileError, EvaluationTimeoutError, or the abort reason
 */
export async function replayLocalLog(options: ReplayLocalLogOptions): Promise<{ steps: Step[]; memory: MemoryDigest }> {
  const { wasm, log, spawn, format, mode = 'hot', messageTimeoutMs = 60_000, digests = false, onStep, signal } = options
  const moduleTags = format ? [...log.module.Tags.filter((t) => t.name !== 'Module-Format'), { name: 'Module-Format', value: format }] : log.module.Tags
  const moduleOptions = moduleOptionsFromTags(moduleTags, log.process.Tags)
  const env = { Process: log.process, Module: { ...log.module, Tags: moduleTags } }
  signal?.throwIfAborted()
  const evaluator = await createWorkerEvaluator(spawn, wasm, moduleOptions, { mode, messageTimeoutMs })
  const stop = () => evaluator.terminate()
  signal?.addEventListener('abort', stop)
  try {
    const started = performance.now()
    const steps: Step[] = []
    // In runs: the worker gets the messages ahead of the one it evaluates, never idle between two.
    for (let from = 0; from < log.messages.length; from += 256) {
      signal?.throwIfAborted()
      const run = log.messages.slice(from, from + 256)
      await evaluator.evaluate(run, env, digests, (step, i) => {
        steps.push(step)
        const seconds = (performance.now() - started) / 1000
        onStep?.(run[i]!, step, { done: steps.length, total: log.messages.length, perSecond: steps.length / Math.max(seconds, 1e-3) })
      })
    }
    return { steps, memory: await evaluator.digest() }
  } catch (error) {
    signal?.throwIfAborted()
    throw error
  } finally {
    signal?.removeEventListener('abort', stop)
    evaluator.terminate()
  }
}
