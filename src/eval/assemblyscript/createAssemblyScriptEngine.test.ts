import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { beforeAll, describe, expect, test } from 'vitest'
import type { AoMessage, EvalResult } from '../../core/message/types.ts'
import { MemoryLimitError } from '../errors.ts'
import type { Engine } from '../types.ts'
import { asTokenOptions, asTokenWasm, OWNER, spawnMessage, tokenEnv, tokenMessage } from '../../../processes/as-token/tokenFixture.ts'
import { AssemblyScriptTrapError } from './AssemblyScriptTrapError.ts'
import { createAssemblyScriptEngine, prepareAssemblyScriptModule } from './createAssemblyScriptEngine.ts'

const env = tokenEnv()
const wallets = Array.from({ length: 10 }, (_, i) => `wallet-${i}-${'x'.repeat(35)}`)

/** A deterministic log: the spawn, the owner funding ten wallets, then transfers among them. */
function transferLog(count: number): AoMessage[] {
  let seed = 0x2545f491
  const next = (n: number): number => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) % n
  }
  const log: AoMessage[] = [spawnMessage()]
  for (const wallet of wallets) log.push(tokenMessage(log.length, OWNER, { Action: 'Transfer', Recipient: wallet, Quantity: '1000000' }))
  while (log.length < count) {
    const from = wallets[next(wallets.length)] ?? OWNER
    const to = wallets[next(wallets.length)] ?? OWNER
    const quantity = String(1 + next(400_000))
    log.push(tokenMessage(log.length, from, { Action: 'Transfer', Recipient: to, Quantity: quantity, 'X-Step': String(log.length) }))
  }
  return log
}

async function runAll(engine: Engine, log: AoMessage[]): Promise<EvalResult[]> {
  const results: EvalResult[] = []
  for (const msg of log) results.push(await engine.handle(msg, env))
  return results
}

const hex = (bytes: Uint8Array): string => bytesToHex(sha256(bytes))

let wasm: WebAssembly.Module
beforeAll(async () => {
  wasm = await prepareAssemblyScriptModule(asTokenWasm())
})

describe('createAssemblyScriptEngine', () => {
  const log = transferLog(400)
  const half = 200

  test('a snapshot restored into a fresh engine continues exactly like the engine that never stopped', async () => {
    const a = await createAssemblyScriptEngine(wasm, asTokenOptions())
    const straight = await runAll(a, log)
    const notices = straight.filter((r) => r.Messages.length === 2).length
    const refusals = straight.filter((r) => JSON.stringify(r.Messages).includes('Insufficient Balance!')).length
    expect(notices).toBeGreaterThan(100)
    expect(refusals).toBeGreaterThan(10)

    const b = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await runAll(b, log.slice(0, half))
    const snapshot = b.snapshot()
    expect(snapshot.globals?.length).toBeGreaterThan(10)

    const c = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await c.restore(snapshot)
    const continued = await runAll(c, log.slice(half))
    expect(continued).toEqual(straight.slice(half))
    expect(hex(c.memory())).toBe(hex(a.memory()))
    expect(c.snapshot().globals).toEqual(a.snapshot().globals)

    const balances = await c.handle(tokenMessage(log.length, OWNER, { Action: 'Balances' }), env)
    expect(balances).toEqual(await a.handle(tokenMessage(log.length, OWNER, { Action: 'Balances' }), env))
  })

  test('restoring the memory without the globals does not reproduce the run (the Anchor counter is a global)', async () => {
    const a = await createAssemblyScriptEngine(wasm, asTokenOptions())
    const straight = await runAll(a, log)
    const b = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await runAll(b, log.slice(0, half))
    const { format, memory } = b.snapshot()

    const d = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await d.restore({ format, memory })
    const continued = await runAll(d, log.slice(half))
    expect(continued).not.toEqual(straight.slice(half))
    const anchors = (results: EvalResult[]): unknown[] => results.flatMap((r) => r.Messages.map((m) => m.Anchor))
    expect(anchors(continued)[0]).toBe('1'.padStart(32, '0'))
    expect(anchors(straight.slice(half))[0]).not.toBe('1'.padStart(32, '0'))
    expect(hex(d.memory())).not.toBe(hex(a.memory()))
  })

  test('restore(null) gives a fresh instance, and restoring leaves the snapshot untouched', async () => {
    const engine = await createAssemblyScriptEngine(wasm, asTokenOptions())
    const initial = hex(engine.memory())
    await runAll(engine, log.slice(0, 20))
    const snapshot = engine.snapshot()
    const copy = hex(snapshot.memory)
    await runAll(engine, log.slice(20, 40))
    expect(hex(snapshot.memory)).toBe(copy)
    await engine.restore(null)
    expect(hex(engine.memory())).toBe(initial)
    const first = await engine.handle(log[1] as AoMessage, env)
    expect(first.Messages).toEqual([
      {
        Target: OWNER,
        Data: '',
        Anchor: '1'.padStart(32, '0'),
        Tags: [
          { name: 'Action', value: 'Transfer-Error' },
          { name: 'Message-Id', value: log[1]?.Id },
          { name: 'Error', value: 'Insufficient Balance!' },
        ],
      },
    ])
  })

  test('a trap mid-run rejects, and restoring the last snapshot continues correctly', async () => {
    const a = await createAssemblyScriptEngine(wasm, asTokenOptions())
    const straight = await runAll(a, log.slice(0, 120))

    const engine = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await runAll(engine, log.slice(0, 60))
    const before = engine.snapshot()
    await expect(engine.handle(tokenMessage(60, OWNER, { Action: 'Trap' }), env)).rejects.toThrow(
      new AssemblyScriptTrapError('the AssemblyScript module trapped: unreachable'),
    )
    await expect(engine.handle(log[60] as AoMessage, env)).rejects.toThrow(/trapped on an earlier message/)
    await engine.restore(before)
    expect(await runAll(engine, log.slice(60, 120))).toEqual(straight.slice(60))
    expect(hex(engine.memory())).toBe(hex(a.memory()))
  })

  test('an abort is decoded into the rejection: message, file, line and column', async () => {
    const engine = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await engine.handle(spawnMessage(), env)
    const rejection = engine.handle(tokenMessage(1, OWNER, { Action: 'Grow', Bytes: '2000000000' }), env)
    await expect(rejection).rejects.toBeInstanceOf(AssemblyScriptTrapError)
    await expect(rejection).rejects.toThrow(/^the AssemblyScript module trapped: abort: Invalid length at ~lib\/arraybuffer\.ts:\d+:\d+$/)
  })

  test('memory() is the live memory: Grow makes it larger', async () => {
    const engine = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await engine.handle(spawnMessage(), env)
    const size = engine.memory().byteLength
    const result = await engine.handle(tokenMessage(1, OWNER, { Action: 'Grow', Bytes: String(4 * 1024 * 1024) }), env)
    expect(result.Output).toBe(`grew ${4 * 1024 * 1024}`)
    expect(engine.memory().byteLength).toBeGreaterThanOrEqual(size + 4 * 1024 * 1024)
  })

  test('Memory-Limit: growing past it rejects with the limit named', async () => {
    const limit = 8 * 1024 * 1024
    const engine = await createAssemblyScriptEngine(wasm, asTokenOptions(limit))
    await engine.handle(spawnMessage(), env)
    let error: unknown
    for (let i = 1; i < 20 && error === undefined; i++) {
      await engine.handle(tokenMessage(i, OWNER, { Action: 'Grow', Bytes: String(1024 * 1024) }), env).catch((e: unknown) => (error = e))
    }
    expect(error).toBeInstanceOf(MemoryLimitError)
    expect((error as Error).message).toBe(`memory limit of ${limit} bytes exceeded`)
    expect(engine.memory().byteLength).toBeLessThanOrEqual(limit)

    const roomy = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await roomy.handle(spawnMessage(), env)
    for (let i = 1; i < 20; i++) await roomy.handle(tokenMessage(i, OWNER, { Action: 'Grow', Bytes: String(1024 * 1024) }), env)
    expect(roomy.memory().byteLength).toBeGreaterThan(limit)
  })

  test('Memory-Limit: one allocation larger than the room left rejects with the limit named; Trap does not', async () => {
    const limit = 8 * 1024 * 1024
    const engine = await createAssemblyScriptEngine(wasm, asTokenOptions(limit))
    await engine.handle(spawnMessage(), env)
    const before = engine.memory().byteLength
    const rejection = engine.handle(tokenMessage(1, OWNER, { Action: 'Grow', Bytes: String(16 * 1024 * 1024) }), env)
    await expect(rejection).rejects.toBeInstanceOf(MemoryLimitError)
    await expect(rejection).rejects.toThrow(`memory limit of ${limit} bytes exceeded`)
    expect(engine.memory().byteLength).toBe(before)

    await engine.restore(null)
    await engine.handle(spawnMessage(), env)
    await engine.handle(tokenMessage(1, OWNER, { Action: 'Grow', Bytes: String(5 * 1024 * 1024) }), env)
    await expect(engine.handle(tokenMessage(2, OWNER, { Action: 'Trap' }), env)).rejects.toBeInstanceOf(AssemblyScriptTrapError)
  })

  test('a snapshot larger than the Memory-Limit is refused', async () => {
    const engine = await createAssemblyScriptEngine(wasm, asTokenOptions())
    await engine.handle(spawnMessage(), env)
    await engine.handle(tokenMessage(1, OWNER, { Action: 'Grow', Bytes: String(8 * 1024 * 1024) }), env)
    const small = await createAssemblyScriptEngine(wasm, asTokenOptions(4 * 1024 * 1024))
    await expect(small.restore(engine.snapshot())).rejects.toThrow(/memory limit of 4194304 bytes exceeded/)
  })

  test('refuses a module that prepareAssemblyScriptModule did not compile', async () => {
    const raw = await WebAssembly.compile(asTokenWasm() as Uint8Array<ArrayBuffer>)
    await expect(createAssemblyScriptEngine(raw, asTokenOptions())).rejects.toThrow(/prepareAssemblyScriptModule/)
  })
})
