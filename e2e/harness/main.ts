// A test page for the evaluator in a real Web Worker: the e2e spec calls window.holoscopeReplay.
import { moduleOptionsFromTags } from '../../src/core/module/moduleOptionsFromTags.ts'
import type { AoEnv, AoMessage } from '../../src/core/message/types.ts'
import { spawnBrowserWorker } from '../../src/eval/browser/spawnBrowserWorker.ts'
import { createWorkerEvaluator } from '../../src/eval/createWorkerEvaluator.ts'
import type { EvaluatorMode } from '../../src/eval/createEvaluator.ts'

type LocalLog = { process: AoEnv['Process']; module: AoEnv['Module']; messages: AoMessage[] }

async function holoscopeReplay(wasmUrl: string, log: LocalLog, mode: EvaluatorMode = 'hot', messageTimeoutMs = 60_000) {
  const wasm = new Uint8Array(await (await fetch(wasmUrl)).arrayBuffer())
  const options = moduleOptionsFromTags(log.module.Tags, log.process.Tags)
  const env = { Process: log.process, Module: log.module }
  const evaluator = await createWorkerEvaluator(spawnBrowserWorker, wasm, options, { mode, messageTimeoutMs })
  try {
    const steps = await evaluator.evaluate(log.messages, env, true)
    return { ok: true as const, steps }
  } catch (error) {
    return { ok: false as const, name: (error as Error).name, message: (error as Error).message }
  } finally {
    evaluator.terminate()
  }
}

Object.assign(window, { holoscopeReplay })
document.getElementById('status')!.textContent = 'ready'
