import { releaseProxy, wrap } from 'comlink'
import type { WorkerHandle } from '../../src/eval/createWorkerEvaluator.ts'
import type { EvaluatorApi } from '../../src/core/evaluator/protocol.ts'

/**
 * The time of one empty call to the evaluator worker API and back (ms): what the app pays per
 * message on top of evaluating it, since it sends one message per round trip. Measured on a
 * fresh worker with no module (`dispose`, which does nothing), after a warm-up.
 */
export async function measureRoundTrip(spawn: () => WorkerHandle, calls = 500): Promise<number> {
  const worker = spawn()
  const api = wrap<EvaluatorApi>(worker.endpoint)
  try {
    for (let i = 0; i < 50; i++) await api.dispose()
    const started = performance.now()
    for (let i = 0; i < calls; i++) await api.dispose()
    return (performance.now() - started) / calls
  } finally {
    api[releaseProxy]()
    worker.terminate()
  }
}
