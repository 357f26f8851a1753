import { afterAll, describe, expect, it } from 'vitest'
import { loadFixture } from '../../processes/loadFixture.ts'
import { generateTokenLog, type LocalLog } from '../../processes/tokenLog.ts'
import type { AoEnv, AoMessage, EvalResult } from '../core/message/types.ts'
import { moduleOptionsFromTags } from '../core/module/moduleOptionsFromTags.ts'
import { compileModule, createEvaluator } from './createEvaluator.ts'
import { createHotEvaluator } from './createHotEvaluator.ts'
import { createWorkerEvaluator, type WorkerEvaluator } from './createWorkerEvaluator.ts'
import { cuResult, thrownResult } from './cuResult.ts'
import { createAssemblyScriptEngine } from './assemblyscript/createAssemblyScriptEngine.ts'
import { createEmscriptenEngine } from './emscripten/createEmscriptenEngine.ts'
import { memoryDigest } from './memoryDigest.ts'
import { spawnNodeWorker } from './node/spawnNodeWorker.ts'
import type { Engine, Evaluator } from './types.ts'

const fixtures = ['lua-token', 'lua-token4', 'as-token']
const started: WorkerEvaluator[] = []
afterAll(() => started.forEach((e) => e.terminate()))

type Setup = { log: LocalLog; env: AoEnv; wasm: Uint8Array }

async function setup(name: string, count: number, extra: Partial<Parameters<typeof generateTokenLog>[0]> = {}): Promise<Setup> {
  const fixture = await loadFixture(name)
  const log = generateTokenLog({ moduleTags: fixture.tags, count, seed: 7, traps: true, ...extra })
  return { log, env: { Process: log.process, Module: log.module }, wasm: fixture.wasm }
}

// Each worker evaluator runs in its own worker thread: ao-loader replaces a realm's clocks.
async function inWorker({ log, wasm }: Setup, mode: 'hot' | 'cu', messageTimeoutMs = 60_000) {
  const options = moduleOptionsFromTags(log.module.Tags, log.process.Tags)
  const evaluator = await createWorkerEvaluator(spawnNodeWorker, wasm, options, { mode, messageTimeoutMs })
  started.push(evaluator)
  return evaluator
}

/**
 * A hot worker evaluator under a `messageTimeoutMs` watchdog, holding the state after `messages`:
 * they run in a first worker under the default limit and it is restored from their snapshot, so
 * only what it runs next meets the short limit (a busy machine's slow start cannot trip it).
 */
async function restoredInWorker(s: Setup, messages: AoMessage[], messageTimeoutMs: number): Promise<WorkerEvaluator> {
  const first = await inWorker(s, 'hot')
  await first.evaluate(messages, s.env)
  const snapshot = await first.snapshot()
  first.terminate()
  const evaluator = await inWorker(s, 'hot', messageTimeoutMs)
  await evaluator.restore(snapshot)
  return evaluator
}

/** Compares two memories at the shorter length; the longer one must be zeros beyond it. */
async function expectSameMemory(a: Pick<Evaluator, 'memory'> | WorkerEvaluator, b: Pick<Evaluator, 'memory'> | WorkerEvaluator, where: string) {
  const digest = (e: typeof a, length?: number) => ('digest' in e ? e.digest(length) : memoryDigest(e.memory(), length))
  const [da, db] = [await digest(a), await digest(b)]
  if (da.length === db.length) return expect(da.sha256, where).toBe(db.sha256)
  const length = Math.min(da.length, db.length)
  const [ta, tb] = [await digest(a, length), await digest(b, length)]
  expect(ta.zeroTail && tb.zeroTail, `${where}: memory beyond ${length} bytes is not zero`).toBe(true)
  expect(ta.sha256, where).toBe(tb.sha256)
}

function readOnly(log: LocalLog, action: string, tags: AoMessage['Tags'] = []): AoMessage {
  const last = log.messages[log.messages.length - 1]!
  return {
    Id: 'dry-run', Owner: log.process.Owner, Target: log.process.Id, From: log.process.Owner,
    Tags: [{ name: 'Action', value: action }, ...tags], Timestamp: last.Timestamp, 'Block-Height': last['Block-Height'], Cron: false, 'Read-Only': true,
  }
}

async function engineFor(name: string, { log, wasm }: Setup): Promise<Engine> {
  const options = moduleOptionsFromTags(log.module.Tags, log.process.Tags)
  const compiled = await compileModule(wasm, options)
  return name === 'as-token' ? createAssemblyScriptEngine(compiled, options) : createEmscriptenEngine(compiled, options)
}

describe.each(fixtures)('%s', (name) => {
  it('hot evaluator matches ao-loader called the CU way: results and memory after each of 300 messages', async () => {
    const s = await setup(name, 300)
    const hot = await inWorker(s, 'hot')
    const cu = await inWorker(s, 'cu')
    const errors: number[] = []
    for (const msg of s.log.messages) {
      const [h] = await hot.evaluate([msg], s.env)
      const [c] = await cu.evaluate([msg], s.env)
      expect(h!.result, `nonce ${msg.Nonce}`).toEqual(c!.result)
      if (c!.result.Error !== undefined) errors.push(msg.Nonce!)
      await expectSameMemory(hot, cu, `nonce ${msg.Nonce}`)
    }
    // The log exercises rollback: failing messages (Error results and traps) spread over the log.
    expect(errors.length).toBeGreaterThanOrEqual(8)
    expect(errors[errors.length - 1]! - errors[0]!).toBeGreaterThan(150)
    const [h, c] = [await hot.query(readOnly(s.log, 'Balances'), s.env), await cu.query(readOnly(s.log, 'Balances'), s.env)]
    expect(h).toEqual(c)
    expect(JSON.stringify((await hot.query(readOnly(s.log, 'Info'), s.env)).Messages)).not.toContain('Poisoned')
  })

  it('the log catches an evaluator that keeps the memory of failing messages', async () => {
    const s = await setup(name, 300, { traps: false })
    const engine = await engineFor(name, s)
    const reference = await createEvaluator(s.wasm, moduleOptionsFromTags(s.log.module.Tags, s.log.process.Tags), { mode: 'cu' })
    let firstDifference: number | undefined
    for (const msg of s.log.messages) {
      const raw = await engine.handle(msg, s.env).then(cuResult, thrownResult)
      const expected = await reference.evaluate(msg, s.env)
      if (firstDifference === undefined && JSON.stringify(raw) !== JSON.stringify(expected)) firstDifference = msg.Nonce
    }
    expect(firstDifference).toBeDefined()
  })

  it('rolls back failing messages in the middle of a segment and right after a snapshot', async () => {
    const s = await setup(name, 200)
    const options = moduleOptionsFromTags(s.log.module.Tags, s.log.process.Tags)
    for (const interval of [1, 7]) {
      const hot = createHotEvaluator(await engineFor(name, s), options, { minInterval: interval, maxInterval: interval })
      const cu = await createEvaluator(s.wasm, options, { mode: 'cu' })
      for (const msg of s.log.messages) {
        expect(await hot.evaluate(msg, s.env), `interval ${interval}, nonce ${msg.Nonce}`).toEqual(await cu.evaluate(msg, s.env))
      }
      await expectSameMemory(hot, cu, `interval ${interval}`)
    }
  })

  it('rolls back a first failure late in the log, before any snapshot, from the initial state', async () => {
    const s = await setup(name, 200, { failures: false, traps: false })
    const options = moduleOptionsFromTags(s.log.module.Tags, s.log.process.Tags)
    const engine = await engineFor(name, s)
    let snapshots = 0
    const counted: Engine = {
      handle: (msg, env) => engine.handle(msg, env),
      snapshot: (reuse) => (snapshots++, engine.snapshot(reuse)),
      restore: (snapshot) => engine.restore(snapshot),
      memory: () => engine.memory(),
      dispose: () => engine.dispose(),
    }
    // As when snapshots cost more than 200 messages: the journal holds everything since the start.
    const hot = createHotEvaluator(counted, options, { minInterval: 10_000 })
    const cu = await createEvaluator(s.wasm, options, { mode: 'cu' })
    const last = s.log.messages[s.log.messages.length - 1]!
    const failing = { ...last, Id: 'failing', Nonce: last.Nonce! + 1, Tags: [{ name: 'Action', value: 'Fail' }] }
    const after = s.log.messages.slice(1, 4).map((msg, i) => ({ ...msg, Id: `after-${i}`, Nonce: last.Nonce! + 2 + i }))
    for (const msg of s.log.messages) expect(await hot.evaluate(msg, s.env)).toEqual(await cu.evaluate(msg, s.env))
    expect(snapshots).toBe(0)
    const failed = await hot.evaluate(failing, s.env)
    expect(failed.Error).toBeDefined()
    expect(failed).toEqual(await cu.evaluate(failing, s.env))
    for (const msg of after) expect(await hot.evaluate(msg, s.env), msg.Id).toEqual(await cu.evaluate(msg, s.env))
    await expectSameMemory(hot, cu, 'after the late failure')
    // The rollback leaves a snapshot behind, so that a second failure replays less.
    expect(snapshots).toBe(1)
  })

  it.each(['hot', 'cu'] as const)('snapshot → restore into a fresh worker → continue equals never stopping (%s)', async (mode) => {
    const s = await setup(name, 240)
    const half = 120
    const straight = await inWorker(s, mode)
    const expected = await straight.evaluate(s.log.messages, s.env)
    const first = await inWorker(s, mode)
    await first.evaluate(s.log.messages.slice(0, half), s.env)
    const snapshot = await first.snapshot()
    // Taking a snapshot (moved out of the worker) leaves the evaluator itself intact.
    const firstRest = await first.evaluate(s.log.messages.slice(half), s.env)
    expect(firstRest.map((step) => step.result)).toEqual(expected.slice(half).map((step) => step.result))
    first.terminate()
    const second = await inWorker(s, mode)
    await second.restore(snapshot)
    const rest = await second.evaluate(s.log.messages.slice(half), s.env)
    expect(rest.map((step) => step.result)).toEqual(expected.slice(half).map((step) => step.result))
    await expectSameMemory(straight, second, 'after the last message')
  })

  it('stops an endless message with a clear error naming it', async () => {
    const s = await setup(name, 5, { failures: false, traps: false })
    const evaluator = await restoredInWorker(s, s.log.messages, 5000)
    const spin = { ...s.log.messages[1]!, Id: 'spin-message', Nonce: 6, Tags: [{ name: 'Action', value: 'Spin' }] }
    await expect(evaluator.evaluate([spin], s.env)).rejects.toThrow(/message spin-message \(nonce 6\) did not finish within 5\.0 s/)
    await expect(evaluator.digest()).rejects.toThrow(/stopped/)
  })

  it('reports each message before an endless one sent in the same call, then names the endless one', async () => {
    const s = await setup(name, 6, { failures: false, traps: false })
    // The messages before the endless one share its call, so its limit must let them pass on a busy
    // machine; the endless one meets any limit.
    const evaluator = await inWorker(s, 'hot', 20_000)
    const spin = { ...s.log.messages[1]!, Id: 'spin-message', Nonce: 5, Tags: [{ name: 'Action', value: 'Spin' }] }
    const messages = [...s.log.messages.slice(0, 5), spin, ...s.log.messages.slice(5)]
    const heard: number[] = []
    await expect(evaluator.evaluate(messages, s.env, false, (_step, i) => heard.push(i))).rejects.toThrow(/message spin-message \(nonce 5\) did not finish/)
    expect(heard).toEqual([0, 1, 2, 3, 4])
  })

  it('honours Memory-Limit: a message that grows past it fails and is rolled back', async () => {
    const probe = await setup(name, 1, { failures: false, traps: false })
    const initial = (await engineFor(name, probe)).memory().byteLength
    const limit = initial + 8 * 1024 * 1024
    const s = await setup(name, 3, { failures: false, traps: false, processTags: [{ name: 'Memory-Limit', value: `${limit}b` }] })
    const evaluator = await createEvaluator(s.wasm, moduleOptionsFromTags(s.log.module.Tags, s.log.process.Tags))
    for (const msg of s.log.messages) expect((await evaluator.evaluate(msg, s.env)).Error).toBeUndefined()
    const before = await memoryDigest(evaluator.memory())
    const grow = { ...s.log.messages[1]!, Id: 'grow', Nonce: 4, Tags: [{ name: 'Action', value: 'Grow' }, { name: 'Bytes', value: String(16 * 1024 * 1024) }] }
    const result = await evaluator.evaluate(grow, s.env)
    expect(String(result.Error)).toMatch(/memory limit/i)
    const after = await memoryDigest(evaluator.memory(), before.length)
    expect(after.sha256).toBe(before.sha256)
    const balance = await evaluator.evaluate({ ...grow, Id: 'after', Nonce: 5, Tags: [{ name: 'Action', value: 'Total-Supply' }] }, s.env)
    expect(balance.Error).toBeUndefined()
  })
})

describe('a metered module (wasm32-unknown-emscripten-metering)', () => {
  it('honours Compute-Limit: a message over it runs out of gas and is rolled back', async () => {
    const fixture = await loadFixture('lua-token4')
    // ao-loader meters the emscripten4 build itself; an init costs ~1.1e9 gas, a transfer ~0.5e9.
    const tags = [
      ...fixture.tags.filter((t) => t.name !== 'Module-Format' && t.name !== 'Compute-Limit'),
      { name: 'Module-Format', value: 'wasm32-unknown-emscripten-metering' },
      { name: 'Compute-Limit', value: '1300000000' },
    ]
    const log = generateTokenLog({ moduleTags: tags, count: 4, seed: 3, failures: false })
    const env = { Process: log.process, Module: log.module }
    const evaluator = await createEvaluator(fixture.wasm, moduleOptionsFromTags(tags))
    for (const msg of log.messages) {
      const result = await evaluator.evaluate(msg, env)
      expect(result.Error, `nonce ${msg.Nonce}`).toBeUndefined()
      expect(result.GasUsed).toBeGreaterThan(0)
    }
    const before = await memoryDigest(evaluator.memory())
    const grow = { ...log.messages[1]!, Id: 'grow', Nonce: 5, Tags: [{ name: 'Action', value: 'Grow' }, { name: 'Bytes', value: '4000000' }] }
    expect((await evaluator.evaluate(grow, env)).Error).toBe('out of gas!')
    expect((await memoryDigest(evaluator.memory(), before.length)).sha256).toBe(before.sha256)
    const info = await evaluator.evaluate({ ...grow, Id: 'info', Nonce: 6, Tags: [{ name: 'Action', value: 'Total-Supply' }] }, env)
    expect(info.Error).toBeUndefined()
    expect(info.Messages).toHaveLength(1)
  })
})

describe("the hot evaluator's rollback snapshots", () => {
  // An engine whose state is a counter and whose memory is said to be 1 GiB: a snapshot would
  // cost at least 51 ms (0.05 ms per MiB at the least), far more than replaying a few hundred
  // messages of microseconds each. A failing message changes the counter before it fails.
  function counterEngine() {
    const engine = { counter: 0, snapshots: 0 }
    const result = (fields: Partial<EvalResult>): EvalResult => ({ Output: String(engine.counter), Messages: [], Spawns: [], Assignments: [], ...fields })
    const api: Engine = {
      async handle(msg) {
        if (msg.Tags.some((t) => t.value === 'Fail')) {
          engine.counter += 1000
          return result({ Error: 'failed' })
        }
        engine.counter++
        return result({})
      },
      snapshot: () => (engine.snapshots++, { format: 'wasm32-unknown-emscripten2', memory: new Uint8Array(0) }),
      restore: async (snapshot) => {
        if (snapshot) throw new Error('this engine restores only its initial state')
        engine.counter = 0
      },
      memory: () => ({ byteLength: 2 ** 30 }) as Uint8Array,
      dispose: () => undefined,
    }
    return { engine, api }
  }
  const options = { format: 'wasm32-unknown-emscripten2', memoryLimit: 2 ** 32, computeLimit: 0, extensions: {} } as const
  const message = (i: number, action = 'Ping'): AoMessage => ({ Id: `m${i}`, Nonce: i, Owner: 'o', Target: 't', From: 'o', Tags: [{ name: 'Action', value: action }], Timestamp: i, 'Block-Height': 1, Cron: false, 'Read-Only': false })

  it('takes none while no message fails and a snapshot costs more than the replay it saves; a failure then replays from the initial state', async () => {
    const { engine, api } = counterEngine()
    const hot = createHotEvaluator(api, options)
    for (let i = 0; i < 500; i++) await hot.evaluate(message(i), {} as AoEnv)
    expect(engine.snapshots).toBe(0)
    expect((await hot.evaluate(message(500, 'Fail'), {} as AoEnv)).Error).toBe('failed')
    // Rolled back: the initial state and the 500 messages again, not the failing one.
    expect(engine.counter).toBe(500)
    expect((await hot.evaluate(message(501), {} as AoEnv)).Output).toBe('501')
  })
})

describe('bad module bytes', () => {
  it('fail with an error that names the format and what to check', async () => {
    const fixture = await loadFixture('lua-token')
    const options = moduleOptionsFromTags(fixture.tags)
    const broken = fixture.wasm.slice(0, 1000)
    await expect(createEvaluator(broken, options)).rejects.toThrow(/not a valid wasm32-unknown-emscripten2 WebAssembly module/)
    const s: Setup = { log: generateTokenLog({ moduleTags: fixture.tags, count: 1 }), env: {} as AoEnv, wasm: new TextEncoder().encode('<html>not found</html>') }
    await expect(inWorker(s, 'hot')).rejects.toThrow(/not a valid/)
  })
})

export type { EvalResult }
