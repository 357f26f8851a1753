// The benchmark page: replays a log with the app's own worker evaluator (spawnBrowserWorker +
// replayLocalLog, bundled by Vite as the app bundles them) and times it inside the page.
import type { LocalLog } from '../../../src/core/message/parseLocalLog.ts'
import { spawnBrowserWorker } from '../../../src/eval/browser/spawnBrowserWorker.ts'
import { replayLocalLog } from '../../../src/replay/replayLocalLog.ts'
import { measureRoundTrip } from '../measureRoundTrip.ts'

/**
 * What `holoscopeBenchReplay` resolves to: the timed messages (all but message 0), their time,
 * the final memory, and the time of an empty round trip to a fresh evaluator worker.
 */
export type PageOutcome = { ok: true; messages: number; seconds: number; memoryBytes: number; sha256: string; roundTripMs: number } | { ok: false; message: string }

/**
 * Replays the log at `logUrl` over the module at `wasmUrl`. The clock starts when message 0 (the
 * process message, which allocates any ballast) has been evaluated and stops at the last result,
 * so worker start, module load and the final digest are not timed.
 */
async function holoscopeBenchReplay(wasmUrl: string, logUrl: string): Promise<PageOutcome> {
  try {
    const [wasm, log] = await Promise.all([
      fetch(wasmUrl).then(async (r) => new Uint8Array(await r.arrayBuffer())),
      fetch(logUrl).then((r) => r.json() as Promise<LocalLog>),
    ])
    let started = 0
    let ended = 0
    const { memory } = await replayLocalLog({
      wasm,
      log,
      spawn: spawnBrowserWorker,
      onStep(_msg, _step, { done, total }) {
        if (done === 1) started = performance.now()
        if (done === total) ended = performance.now()
      },
    })
    const roundTripMs = await measureRoundTrip(spawnBrowserWorker)
    return { ok: true, messages: log.messages.length - 1, seconds: (ended - started) / 1000, memoryBytes: memory.length, sha256: memory.sha256, roundTripMs }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}

Object.assign(window, { holoscopeBenchReplay })
document.getElementById('status')!.textContent = 'ready'
