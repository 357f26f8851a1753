// A test page for the evaluator in a real Web Worker: the e2e spec calls window.holoscopeReplay.
import type { LocalLog } from '../../src/core/message/parseLocalLog.ts'
import { spawnBrowserWorker } from '../../src/eval/browser/spawnBrowserWorker.ts'
import type { EvaluatorMode } from '../../src/eval/createEvaluator.ts'
import { replayLocalLog } from '../../src/replay/replayLocalLog.ts'

async function holoscopeReplay(wasmUrl: string, log: LocalLog, mode: EvaluatorMode = 'hot', messageTimeoutMs = 60_000) {
  try {
    const wasm = new Uint8Array(await (await fetch(wasmUrl)).arrayBuffer())
    const { steps } = await replayLocalLog({ wasm, log, spawn: spawnBrowserWorker, mode, messageTimeoutMs, digests: true })
    return { ok: true as const, steps }
  } catch (error) {
    return { ok: false as const, name: (error as Error).name, message: (error as Error).message }
  }
}

Object.assign(window, { holoscopeReplay })
document.getElementById('status')!.textContent = 'ready'
