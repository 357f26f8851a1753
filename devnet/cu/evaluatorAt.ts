import type { EvalResult } from '../../src/core/message/types.ts'
import { createWorkerEvaluator, type WorkerEvaluator } from '../../src/eval/createWorkerEvaluator.ts'
import { rollsBack, thrownResult } from '../../src/eval/cuResult.ts'
import { EvaluationTimeoutError, ModuleCompileError } from '../../src/eval/errors.ts'
import { spawnNodeWorker } from '../../src/eval/node/spawnNodeWorker.ts'
import { HttpError } from '../lib/http.ts'
import type { CuRuntime } from './cuRuntime.ts'
import type { ProcessState } from './processState.ts'
import { aoMessageOf, logOf, nonceOf } from './suLog.ts'

/**
 * A new evaluator holding the state after nonce `at` (a fresh instance when undefined):
 * from the nearest kept snapshot at or before it, or from the start, replaying the log.
 * Messages whose result rolled back are skipped: they left memory as it was. The caller
 * terminates it.
 *
 * @throws HttpError 503 when the CU is stopping, 422 when the module cannot be loaded, or as
 *   reading the log does
 */
export async function evaluatorAt(cu: CuRuntime, state: ProcessState, at: number | undefined): Promise<WorkerEvaluator> {
  const evaluator = await newEvaluator(cu, state)
  try {
    if (at === undefined) return evaluator
    const base = Math.max(-1, ...[...state.snapshots.keys()].filter((n) => n <= at))
    if (base >= 0) await evaluator.restore(state.snapshots.get(base)!)
    if (base === at) return evaluator
    for await (const node of logOf(state, base >= 0 ? base : undefined, at)) {
      const known = state.byNonce.get(nonceOf(node))
      if (known && rollsBack(known.result)) continue
      await evaluator.evaluate([await aoMessageOf(cu.gatewayUrl, node)], state.env)
    }
    return evaluator
  } catch (error) {
    evaluator.terminate()
    throw error
  }
}

/** The process's hot evaluator, at `state.last`, built when there is none. Call it holding the lock. */
export async function hotOf(cu: CuRuntime, state: ProcessState): Promise<WorkerEvaluator> {
  return (state.hot ??= await evaluatorAt(cu, state, state.last?.nonce))
}

/**
 * Runs `work` on the hot evaluator; a message that timed out becomes an errored result. Call
 * it holding the lock.
 */
export async function onHot(cu: CuRuntime, state: ProcessState, work: (evaluator: WorkerEvaluator) => Promise<EvalResult>): Promise<EvalResult> {
  const evaluator = await hotOf(cu, state)
  try {
    return await work(evaluator)
  } catch (error) {
    // The worker is gone or in an unknown state: the next use rebuilds it at `last`.
    evaluator.terminate()
    state.hot = undefined
    if (error instanceof EvaluationTimeoutError) return thrownResult(error)
    throw error
  }
}

/** A worker evaluator of the process's module, tracked in `cu.live` until terminated. */
async function newEvaluator(cu: CuRuntime, state: ProcessState): Promise<WorkerEvaluator> {
  if (cu.stopping) throw new HttpError(503, 'this CU is stopping')
  let evaluator: WorkerEvaluator
  try {
    evaluator = await createWorkerEvaluator(spawnNodeWorker, state.wasm, state.options, cu.evaluatorOptions)
  } catch (error) {
    if (error instanceof ModuleCompileError) throw new HttpError(422, `module ${state.module.id} of process ${state.id} cannot be loaded: ${error.message}`)
    throw error
  }
  if (cu.stopping) {
    evaluator.terminate()
    throw new HttpError(503, 'this CU is stopping')
  }
  cu.live.add(evaluator)
  const terminate = evaluator.terminate
  return {
    ...evaluator,
    terminate: () => {
      cu.live.delete(evaluator)
      terminate()
    },
  }
}
