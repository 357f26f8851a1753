// A test page for the evaluator in a real Web Worker: the e2e spec calls window.holoscopeReplay.
import type { LocalLog } from '../../src/core/message/parseLocalLog.ts'
import type { AoEnv, AoMessage, EvalResult } from '../../src/core/message/types.ts'
import { moduleOptionsFromTags } from '../../src/core/module/moduleOptionsFromTags.ts'
import { spawnBrowserWorker } from '../../src/eval/browser/spawnBrowserWorker.ts'
import type { EvaluatorMode } from '../../src/eval/createEvaluator.ts'
import { createWorkerEvaluator, type WorkerEvaluator, type WorkerHandle } from '../../src/eval/createWorkerEvaluator.ts'
import { adaptMemory64 } from '../../src/eval/emscripten/adaptMemory64.ts'
import { createHostFaults } from '../../src/eval/emscripten/hostFaults.ts'
import type { Snapshot } from '../../src/core/evaluator/snapshot.ts'
import type { Step } from '../../src/core/evaluator/protocol.ts'

/** Options of `holoscopeReplay`. */
export type HarnessReplayOptions = {
  mode?: EvaluatorMode
  messageTimeoutMs?: number
  /**
   * The index of the first message run under `messageTimeoutMs`. The messages before it run in
   * a first worker under a limit of at least 60 s, and a second worker, restored from its snapshot, runs
   * the rest: the start (the first calls compile the module's code) never counts against a
   * short limit, however busy the machine.
   */
  watchdogFrom?: number
  /** Memory digests after every message (`'all'`, the default) or after the messages with these nonces only. */
  digestAt?: 'all' | number[]
  /** A read-only message to run on the state after the last message. */
  query?: AoMessage
  /** `'faulty-grow'`: a worker whose host refuses every memory growth with a TypeError. */
  worker?: 'app' | 'faulty-grow'
}

/** What `holoscopeReplay` gives back: the steps (a step has `memory` when it was digested), or the error's name and message. */
export type HarnessOutcome = { ok: true; steps: Step[]; query?: EvalResult } | { ok: false; name: string; message: string; steps: number }

function spawnFaultyGrowWorker(): WorkerHandle {
  const worker = new Worker(new URL('./faultyGrow.worker.ts', import.meta.url), { type: 'module', name: 'holoscope-evaluator-faulty-grow' })
  return {
    endpoint: worker,
    terminate: () => worker.terminate(),
    onCrash: (listener) => worker.addEventListener('error', (event) => listener(new Error(event.message || 'the evaluator worker failed to start'))),
  }
}

/** Evaluates `messages`, appending their steps to `steps`, with memory digests as `digestAt` asks. */
async function evaluateInto(evaluator: WorkerEvaluator, messages: AoMessage[], env: AoEnv, digestAt: 'all' | number[], steps: Step[]): Promise<void> {
  if (digestAt === 'all') return void steps.push(...(await evaluator.evaluate(messages, env, true, undefined)))
  // In runs ending at the chosen nonces, each followed by a digest of the memory.
  let from = 0
  for (const [i, msg] of messages.entries()) {
    const last = i === messages.length - 1
    if (!digestAt.includes(msg.Nonce!) && !last) continue
    steps.push(...(await evaluator.evaluate(messages.slice(from, i + 1), env)))
    if (digestAt.includes(msg.Nonce!)) steps[steps.length - 1] = { ...steps.at(-1)!, memory: await evaluator.digest() }
    from = i + 1
  }
}

async function holoscopeReplay(wasmUrl: string, log: LocalLog, options: HarnessReplayOptions = {}): Promise<HarnessOutcome> {
  const { mode = 'hot', messageTimeoutMs = 60_000, watchdogFrom = 0, digestAt = 'all', query, worker = 'app' } = options
  const steps: Step[] = []
  try {
    const wasm = new Uint8Array(await (await fetch(wasmUrl)).arrayBuffer())
    const spawn = worker === 'faulty-grow' ? spawnFaultyGrowWorker : spawnBrowserWorker
    const start = (limitMs: number) => createWorkerEvaluator(spawn, wasm, moduleOptionsFromTags(log.module.Tags, log.process.Tags), { mode, messageTimeoutMs: limitMs })
    const env = { Process: log.process, Module: log.module }
    let snapshot: Snapshot | undefined
    if (watchdogFrom > 0) {
      const first = await start(Math.max(messageTimeoutMs, 60_000))
      try {
        await evaluateInto(first, log.messages.slice(0, watchdogFrom), env, digestAt, steps)
        snapshot = await first.snapshot()
      } finally {
        first.terminate()
      }
    }
    const evaluator = await start(messageTimeoutMs)
    try {
      if (snapshot) await evaluator.restore(snapshot)
      await evaluateInto(evaluator, log.messages.slice(watchdogFrom), env, digestAt, steps)
      return { ok: true, steps, ...(query ? { query: await evaluator.query(query, env) } : {}) }
    } finally {
      evaluator.terminate()
    }
  } catch (error) {
    return { ok: false, name: (error as Error).name, message: (error as Error).message, steps: steps.length }
  }
}

/** What an i64 memory's grow does in this browser with a Number, as ao-loader's glue calls it, before and after `adaptMemory64`. */
export type GrowProbe = { before: string; after: string; pages: number }

function holoscopeGrowProbe(): GrowProbe {
  const attempt = (memory: WebAssembly.Memory) => {
    try {
      return `returned ${typeof memory.grow(590.9999847412109)}`
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`
    }
  }
  // The final memory64 JS API: an i64 memory is made with `address: 'i64'` and BigInt sizes.
  const descriptor = { initial: 1n, maximum: 1000n, address: 'i64' } as unknown as WebAssembly.MemoryDescriptor
  const before = attempt(new WebAssembly.Memory(descriptor))
  const memory = new WebAssembly.Memory(descriptor)
  adaptMemory64({ memory }, 'wasm64-unknown-emscripten-draft_2024_02_15', createHostFaults())
  const after = attempt(memory)
  return { before, after, pages: memory.buffer.byteLength / 65536 }
}

Object.assign(window, { holoscopeReplay, holoscopeGrowProbe })
document.getElementById('status')!.textContent = 'ready'
