import type { AoEnv, AoMessage, EvalResult } from '../core/message/types.ts'
import { cuResult, rollsBack, thrownResult } from './cuResult.ts'
import { NondeterministicReplayError } from './errors.ts'
import { realNow } from './realClock.ts'
import type { Engine, Evaluator, ModuleOptions, Snapshot } from './types.ts'

/** Tuning of the hot evaluator's rollback journal. */
export type HotEvaluatorOptions = {
  /** Fewest and most messages between two rollback snapshots (default 16 and 4096). */
  minInterval?: number
  maxInterval?: number
}

/**
 * An evaluator over one hot engine with the CU's semantics. The CU keeps the memory from
 * before a message whose result carries `Error`; a hot instance has already changed it, so
 * this evaluator keeps a rollback snapshot and the messages evaluated since (the journal):
 * on an error it restores the snapshot into a fresh instance, replays the journal, and goes
 * on from there. The snapshot interval adapts to the cost of a snapshot, of a message and to
 * how often messages fail, so that rollbacks stay cheap without copying memory per message.
 */
export function createHotEvaluator(engine: Engine, options: ModuleOptions, tuning: HotEvaluatorOptions = {}): Evaluator {
  const minInterval = tuning.minInterval ?? 16
  const maxInterval = tuning.maxInterval ?? 4096
  let base: Snapshot | null = null
  // Whether `base` is this evaluator's own copy, whose buffer it may overwrite.
  let ownBase = false
  let journal: Array<[AoMessage, AoEnv]> = []
  // Start low and let retune() raise it: early failures must not replay the whole log so far.
  let interval = Math.min(maxInterval, Math.max(minInterval, 64))
  let evaluated = 0
  let failures = 0
  let messageMs = 0.1
  let snapshotMs = 1

  async function run(msg: AoMessage, env: AoEnv): Promise<EvalResult> {
    let result: EvalResult
    try {
      result = cuResult(await engine.handle(msg, env))
    } catch (error) {
      return thrownResult(error)
    }
    const size = engine.memory().byteLength
    if (size > options.memoryLimit) {
      return cuResult({ Error: `memory limit exceeded: ${size} bytes used, Memory-Limit is ${options.memoryLimit} bytes` })
    }
    return result
  }

  async function rollback(): Promise<void> {
    await engine.restore(base)
    for (const [msg, env] of journal) {
      const replayed = await run(msg, env)
      if (rollsBack(replayed)) {
        throw new NondeterministicReplayError(
          `message ${msg.Id ?? '(no id)'} (nonce ${msg.Nonce ?? '-'}) succeeded once and failed when replayed`,
          { details: 'The module is not deterministic for this log, so its state cannot be rebuilt.' },
        )
      }
    }
    takeBase()
  }

  function takeBase(): void {
    const started = realNow()
    base = engine.snapshot(ownBase && base ? base : null)
    ownBase = true
    journal = []
    snapshotMs = 0.8 * snapshotMs + 0.2 * (realNow() - started)
  }

  function retune(): void {
    // A weak prior (a quarter of a failure per 100 messages): with no failures seen, snapshots
    // soon become rare; each failure seen shortens the interval again.
    const errorRate = (failures + 0.25) / (evaluated + 100)
    const optimal = Math.sqrt((2 * snapshotMs) / (errorRate * messageMs))
    interval = Math.round(Math.min(maxInterval, Math.max(minInterval, optimal)))
  }

  return {
    options,
    async evaluate(msg, env) {
      const started = realNow()
      const result = await run(msg, env)
      evaluated++
      messageMs = 0.95 * messageMs + 0.05 * (realNow() - started)
      if (rollsBack(result)) {
        failures++
        await rollback()
        retune()
        return result
      }
      journal.push([msg, env])
      if (journal.length >= interval) {
        takeBase()
        retune()
      }
      return result
    },
    async query(msg, env) {
      // The rollback snapshot doubles as the copy a query is undone from: no third copy.
      takeBase()
      const result = await run(msg, env)
      await engine.restore(base)
      return result
    },
    snapshot: () => engine.snapshot(),
    async restore(snapshot) {
      await engine.restore(snapshot)
      base = snapshot
      ownBase = false
      journal = []
    },
    memory: () => engine.memory(),
    dispose: () => engine.dispose(),
  }
}
