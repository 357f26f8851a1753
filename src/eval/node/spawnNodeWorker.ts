import { Worker } from 'node:worker_threads'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import type { WorkerHandle } from '../createWorkerEvaluator.ts'

/**
 * Starts `workers/evaluator.node.ts` in a Node worker thread (its own realm: ao-loader
 * replaces the realm's clocks), with tsx to load TypeScript.
 */
export function spawnNodeWorker(): WorkerHandle {
  const worker = new Worker(new URL('../../../workers/evaluator.node.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
  })
  worker.unref()
  return { endpoint: nodeEndpoint(worker), terminate: () => void worker.terminate() }
}
