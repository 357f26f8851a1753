import type { WorkerHandle } from '../createWorkerEvaluator.ts'
import { EvaluatorWorkerError } from '../errors.ts'

/** Starts `workers/evaluator.worker.ts` in a dedicated Web Worker (its own realm). */
export function spawnBrowserWorker(): WorkerHandle {
  const worker = new Worker(new URL('../../../workers/evaluator.worker.ts', import.meta.url), { type: 'module', name: 'holoscope-evaluator' })
  return {
    endpoint: worker,
    terminate: () => worker.terminate(),
    onCrash: (listener) => worker.addEventListener('error', (event) => listener(new EvaluatorWorkerError(event.message || 'the evaluator worker failed to start'))),
  }
}
