import { cuResult, rollsBack, thrownResult } from './cuResult.ts'
import type { EvalResult } from '../core/message/types.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import type { Engine, Evaluator, ModuleOptions } from './types.ts'

/**
 * The CU's way for any engine: the whole state is restored before every message and copied
 * after it, and a result with `Error` keeps the previous state. Slow by design; it is the
 * reference for formats that ao-loader does not run (AssemblyScript).
 */
export function createCopyingEvaluator(engine: Engine, options: ModuleOptions): Evaluator {
  let state: Snapshot | null = null
  let started = false

  async function run(msg: Parameters<Engine['handle']>[0], env: Parameters<Engine['handle']>[1]): Promise<EvalResult> {
    if (started) await engine.restore(state)
    started = true
    try {
      return cuResult(await engine.handle(msg, env))
    } catch (error) {
      return thrownResult(error)
    }
  }

  return {
    options,
    async evaluate(msg, env) {
      const result = await run(msg, env)
      if (!rollsBack(result)) state = engine.snapshot()
      else if (state === null) {
        await engine.restore(null)
        started = false
      }
      return result
    },
    async query(msg, env) {
      return run(msg, env)
    },
    snapshot: () => (state ? { ...state, memory: state.memory.slice() } : engine.snapshot()),
    async restore(snapshot) {
      state = snapshot
      started = true
    },
    memory: () => state?.memory ?? engine.memory(),
    dispose: () => engine.dispose(),
  }
}
