import { Worker } from 'node:worker_threads'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import type { WorkerHandle } from '../createWorkerEvaluator.ts'
import { EvaluatorWorkerError } from '../errors.ts'

const entry = new URL('../../../workers/evaluator.node.ts', import.meta.url).href

/**
 * Starts `workers/evaluator.node.ts` in a Node worker thread (its own realm: ao-loader
 * replaces the realm's clocks). The worker registers tsx itself to load TypeScript, and turns on
 * memory64 for wasm64 modules: neither can be passed in a worker's execArgv.
 */
export function spawnNodeWorker(): WorkerHandle {
  // memory64 (wasm64 formats) is behind a flag in Node 20; it must be set before any compile.
  const bootstrap = `require('node:v8').setFlagsFromString('--experimental-wasm-memory64'); import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`
  const worker = new Worker(bootstrap, { eval: true })
  worker.unref()
  return {
    endpoint: nodeEndpoint(worker),
    terminate: () => void worker.terminate(),
    onCrash: (listener) => {
      worker.on('error', listener)
      worker.on('exit', (code) => listener(new EvaluatorWorkerError(`the evaluator worker exited (code ${code})`)))
    },
  }
}
