import type { AoEnv, AoMessage, EvalResult } from '../core/message/types.ts'
import { cuResult, rollsBack, thrownResult } from './cuResult.ts'
import { EvaluatorHostError, NondeterministicReplayError } from './errors.ts'
import { realNow } from './realClock.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import type { Engine, Evaluator, ModuleOptions } from './types.ts'

/** Tuning of the hot evaluator's rollback journal. */
export type HotEvaluatorOptions = {
  /** Fewest and most messages between two rollback snapshots (default 16 and 32768). */
  minInterval?: number
  maxInterval?: number
}

/**
 * How many times its own cost a rollback snapshot must be worth before it is taken: snapshots
 * cost at most 1/patience of the evaluation time, and a failure costs at most `patience`
 * snapshots' worth of replay.
 */
const patience = 20

/**
 * An evaluator over one hot engine with the CU's semantics. The CU keeps the memory from
 * before a message whose result carries `Error`; a hot instance has already changed it, so
 * this evaluator keeps a rollback base (a snapshot, the restored state, or the initial one) and
 * the messages evaluated since (the journal): on an error it restores the base into a fresh
 * instance, replays the journal, and goes on from there.
 *
 * Snapshots are taken as rarely as their cost allows. A snapshot's cost is mostly the first
 * touch of its buffer's pages (on some machines 50 times a copy), so it is estimated from the
 * memory size at a rate measured on this machine. While no message has failed, a snapshot is
 * taken when the journal's replay would cost `patience` snapshots; once messages fail, at the
 * interval that minimises snapshots plus expected replays for the failure rate seen.
 */
export function createHotEvaluator(engine: Engine, options: ModuleOptions, tuning: HotEvaluatorOptions = {}): Evaluator {
  const minInterval = tuning.minInterval ?? 16
  const maxInterval = tuning.maxInterval ?? 32_768
  let base: Snapshot | null = null
  // Whether `base` is this evaluator's own copy, whose buffer it may overwrite.
  let ownBase = false
  let journal: Array<[AoMessage, AoEnv]> = []
  let evaluated = 0
  let failures = 0
  let messageMs = 0.1
  // Cost of a snapshot per MiB of memory: first the cost of touching fresh memory, then as measured.
  let snapshotMsPerMiB = freshMemoryMsPerMiB()
  let interval = minInterval
  retune()

  const run = (msg: AoMessage, env: AoEnv) => runMessage(engine, options.memoryLimit, msg, env)

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
    snapshotMsPerMiB = 0.5 * snapshotMsPerMiB + 0.5 * ((realNow() - started) / mib(base.memory.byteLength))
  }

  function retune(): void {
    const optimal = optimalInterval(snapshotMsPerMiB * mib(engine.memory().byteLength), messageMs, failures, evaluated)
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
        // Memory may have grown since the interval was set, and with it the snapshot's cost.
        retune()
        if (journal.length >= interval) {
          takeBase()
          retune()
        }
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

const mib = (bytes: number) => Math.max(bytes, 1) / 2 ** 20

/**
 * Runs one message on the engine and returns its result as the CU would: a trap or a memory
 * over `memoryLimit` is a result carrying `Error`.
 *
 * @throws EvaluatorHostError when the host failed, not the module: never a result
 */
async function runMessage(engine: Engine, memoryLimit: number, msg: AoMessage, env: AoEnv): Promise<EvalResult> {
  let result: EvalResult
  try {
    result = cuResult(await engine.handle(msg, env))
  } catch (error) {
    if (error instanceof EvaluatorHostError) throw error
    return thrownResult(error)
  }
  const size = engine.memory().byteLength
  if (size > memoryLimit) return cuResult({ Error: `memory limit exceeded: ${size} bytes used, Memory-Limit is ${memoryLimit} bytes` })
  return result
}

/**
 * The number of messages between rollback snapshots that costs least, before clamping: while no
 * message failed, the journal grows until replaying it would cost `patience` snapshots (ski
 * rental); once messages fail, where snapshots plus expected replays per message,
 * snapshotMs / n + rate * n * messageMs / 2, are least.
 */
function optimalInterval(snapshotMs: number, messageMs: number, failures: number, evaluated: number): number {
  const optimal = (patience * snapshotMs) / messageMs
  if (failures === 0) return optimal
  return Math.min(optimal, Math.sqrt((2 * snapshotMs) / ((failures / evaluated) * messageMs)))
}

/** The time to allocate and first touch 1 MiB here (ms), measured on 4 MiB. */
function freshMemoryMsPerMiB(): number {
  const started = realNow()
  new Uint8Array(4 * 2 ** 20).fill(1)
  return Math.max((realNow() - started) / 4, 0.05)
}
