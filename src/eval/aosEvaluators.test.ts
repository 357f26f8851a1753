import { setFlagsFromString } from 'node:v8'
import { afterAll, describe, expect, it } from 'vitest'
import { loadFixture, type Fixture } from '../../processes/loadFixture.ts'
import type { LocalLog } from '../../processes/tokenLog.ts'
import type { AoEnv, AoMessage, EvalResult } from '../core/message/types.ts'
import { moduleOptionsFromTags } from '../core/module/moduleOptionsFromTags.ts'
import { compileModule } from './createEvaluator.ts'
import { createHotEvaluator } from './createHotEvaluator.ts'
import { createWorkerEvaluator, type WorkerEvaluator } from './createWorkerEvaluator.ts'
import { cuResult, thrownResult } from './cuResult.ts'
import { createEmscriptenEngine } from './emscripten/createEmscriptenEngine.ts'
import { memoryDigest } from './memoryDigest.ts'
import { spawnNodeWorker } from './node/spawnNodeWorker.ts'
import { aosReferenceLog, balancesDryRun, loadAosCuReference, memoryDifference, resultSha256, type AosCuReference } from './reference/aosCuReference.ts'
import type { ModuleOptions } from './types.ts'

// Real aos modules (aos 2.0.6, wasm64; aos 2.0.4, wasm32 emscripten4) over an aos token log:
// the Eval that loads the token, transfers, queries, mints, burns and failing messages. The
// CU way costs about a second per message at aos's ~110 MB of memory, so it was recorded
// (src/eval/reference/) and is checked live over the first messages only; memory is compared
// at chosen nonces, a digest costing about a second too.

// In-process engines of wasm64 modules need memory64, behind a flag in Node 20 (workers set it themselves).
setFlagsFromString('--experimental-wasm-memory64')

const started: WorkerEvaluator[] = []
afterAll(() => started.forEach((e) => e.terminate()))

type AosSetup = { fixture: Fixture; log: LocalLog; env: AoEnv; options: ModuleOptions; reference: AosCuReference }

async function setup(name: string): Promise<AosSetup> {
  const fixture = await loadFixture(name)
  const log = aosReferenceLog(fixture)
  const reference = await loadAosCuReference(fixture, log)
  return { fixture, log, env: { Process: log.process, Module: log.module }, options: moduleOptionsFromTags(log.module.Tags, log.process.Tags), reference }
}

async function inWorker(s: AosSetup, mode: 'hot' | 'cu'): Promise<WorkerEvaluator> {
  const evaluator = await createWorkerEvaluator(spawnNodeWorker, s.fixture.wasm, s.options, { mode, messageTimeoutMs: 120_000 })
  started.push(evaluator)
  return evaluator
}

function expectRecorded(s: AosSetup, index: number, result: EvalResult) {
  expect(resultSha256(result), `nonce ${s.log.messages[index]!.Nonce}: ${JSON.stringify(result).slice(0, 400)}`).toBe(s.reference.results[index])
}

/**
 * Evaluates the log's messages [from, to) in a worker, in runs ending at the nonces the
 * reference has memory for (only those `digestAt` accepts: a digest costs about a second): every
 * result, and the memory at those nonces, must be the CU way's.
 */
async function expectLikeReference(s: AosSetup, evaluator: WorkerEvaluator, from: number, to: number, digestAt: (nonce: number) => boolean = () => true) {
  let start = from
  for (let i = from; i < to; i++) {
    const nonce = s.log.messages[i]!.Nonce!
    const expected = digestAt(nonce) ? s.reference.memory[nonce] : undefined
    if (!expected && i !== to - 1) continue
    const steps = await evaluator.evaluate(s.log.messages.slice(start, i + 1), s.env)
    steps.forEach((step, k) => expectRecorded(s, start + k, step.result))
    if (expected) expect(await memoryDifference((length) => evaluator.digest(length), expected), `memory after nonce ${nonce}`).toBeUndefined()
    start = i + 1
  }
}

function messageIndex(s: AosSetup, nonce: number): number {
  return s.log.messages.findIndex((m) => m.Nonce === nonce)
}

describe.each(['aos-2.0.6', 'aos-2.0.4-32'])('%s (a real aos module)', (name) => {
  it('hot in a Node worker: the CU way\'s results, memory at chosen nonces and Balances dry-run; a snapshot restored into a fresh worker continues the same', async () => {
    const s = await setup(name)
    const half = messageIndex(s, 150) + 1
    // The log makes the hot evaluator roll back, first from its initial state (no snapshot yet).
    expect(s.reference.errors.length).toBeGreaterThanOrEqual(8)
    expect(s.reference.errors[0]).toBeLessThan(20)
    const last = s.log.messages[s.log.messages.length - 1]!.Nonce!
    // Memory after the failures the reference has it for (their rollback), at the snapshot and at the end.
    const digestAt = (nonce: number) => s.reference.errors.includes(nonce) || nonce === 150 || nonce === last
    const hot = await inWorker(s, 'hot')
    await expectLikeReference(s, hot, 0, half, digestAt)
    const snapshot = await hot.snapshot()
    await expectLikeReference(s, hot, half, s.log.messages.length, digestAt)
    expect(await hot.query(balancesDryRun(s.log), s.env)).toEqual(s.reference.balances)
    hot.terminate()

    const second = await inWorker(s, 'hot')
    await second.restore(snapshot)
    const rest = await second.evaluate(s.log.messages.slice(half), s.env)
    rest.forEach((step, k) => expectRecorded(s, half + k, step.result))
    expect(await memoryDifference((length) => second.digest(length), s.reference.memory[last]!), 'memory after the last message').toBeUndefined()
  })

  it('the recorded reference is ao-loader called the CU way (live over the first messages); a hot snapshot restored into the CU way continues it through a failure', async () => {
    const s = await setup(name)
    // The process message, the Eval that loads the token and the first transfer.
    const cu = await inWorker(s, 'cu')
    await expectLikeReference(s, cu, 0, 3)
    cu.terminate()

    // The hot state just before the second failure, handed to the CU way as a CU loads a checkpoint.
    const secondError = s.reference.errors[1]!
    const hot = await inWorker(s, 'hot')
    await hot.evaluate(s.log.messages.slice(0, messageIndex(s, secondError)), s.env)
    const fromCheckpoint = await inWorker(s, 'cu')
    await fromCheckpoint.restore(await hot.snapshot())
    await expectLikeReference(s, fromCheckpoint, messageIndex(s, secondError), messageIndex(s, secondError) + 2)
  })
})

describe('aos in a hot evaluator with fixed rollback intervals', () => {
  it.each([
    ['aos-2.0.6', 1, 23],
    ['aos-2.0.6', 7, 50],
    ['aos-2.0.4-32', 7, 50],
  ] as const)('%s rolls back failing messages from a snapshot every %i messages, as the CU way does (to nonce %i)', async (name, interval, to) => {
    const s = await setup(name)
    const end = messageIndex(s, to) + 1
    const hot = createHotEvaluator(await createEmscriptenEngine(await compileModule(s.fixture.wasm, s.options), s.options), s.options, { minInterval: interval, maxInterval: interval })
    for (const [i, msg] of s.log.messages.slice(0, end).entries()) {
      expectRecorded(s, i, await hot.evaluate(msg, s.env))
      const expected = s.reference.memory[msg.Nonce!]
      if (expected) expect(await memoryDifference((length) => memoryDigest(hot.memory(), length), expected), `memory after nonce ${msg.Nonce}`).toBeUndefined()
    }
    expect(s.reference.errors.filter((nonce) => nonce <= to).length).toBeGreaterThanOrEqual(2)
  })
})

describe('the aos log', () => {
  it('catches an evaluator that keeps the memory of failing messages', async () => {
    const s = await setup('aos-2.0.4-32')
    const engine = await createEmscriptenEngine(await compileModule(s.fixture.wasm, s.options), s.options)
    let firstDifference: number | undefined
    for (const [i, msg] of s.log.messages.entries()) {
      const raw = await engine.handle(msg as AoMessage, s.env).then(cuResult, thrownResult)
      if (resultSha256(raw) !== s.reference.results[i]) {
        firstDifference = msg.Nonce
        break
      }
    }
    // Not at the failing message itself, whose result is the same: after it, from its kept state.
    expect(firstDifference).toBeGreaterThan(s.reference.errors[0]!)
  })
})

describe('the recorded CU-way references', () => {
  it('refuse a log that changed since they were recorded, saying how to record them again', async () => {
    const fixture = await loadFixture('aos-2.0.6')
    const log = aosReferenceLog(fixture)
    const changed = { ...log, messages: log.messages.map((m, i) => (i === 40 ? { ...m, Data: `${String(m.Data)} ` } : m)) }
    await expect(loadAosCuReference(fixture, changed)).rejects.toThrow(/aos token log changed .* record it again with `npx tsx src\/eval\/reference\/recordAosCuReference\.ts aos-2\.0\.6`/)
    await expect(loadAosCuReference({ ...fixture, sha256: '0'.repeat(64) }, log)).rejects.toThrow(/recorded with other module bytes/)
  })
})
