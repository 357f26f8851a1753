import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../core/encoding/sha256Hex.ts'
import { flipped, MiB, noise, openTestStore, pointAt } from './testing.ts'

describe('putCheckpoint and loadCheckpoint', () => {
  it('round-trips memory byte for byte, with globals and a length not a multiple of the chunk size', async () => {
    const store = await openTestStore()
    const memory = noise(3 * MiB + 12_345, 7)
    const globals = [1, -2, 2n ** 63n - 1n, 0n, 3.5]
    const { stored, checkpoint } = await store.putCheckpoint(pointAt('p', 10), { format: 'wasm32-unknown-assemblyscript', memory, globals })
    expect(stored).toBe(true)
    expect(checkpoint).toEqual({ ...pointAt('p', 10), format: 'wasm32-unknown-assemblyscript', sha256: await sha256Hex(memory), memoryLength: memory.byteLength })

    const loaded = await store.loadCheckpoint({ processId: 'p', nonce: 10 })
    if (loaded.status !== 'loaded') throw new Error(`expected loaded, got ${loaded.status}`)
    expect(loaded.checkpoint).toEqual(checkpoint)
    expect(loaded.snapshot.format).toBe('wasm32-unknown-assemblyscript')
    expect(loaded.snapshot.globals).toEqual(globals)
    expect(loaded.snapshot.memory.byteLength).toBe(memory.byteLength)
    expect(Buffer.from(loaded.snapshot.memory).equals(Buffer.from(memory))).toBe(true)
    store.close()
  })

  it('leaves globals out when the snapshot has none', async () => {
    const store = await openTestStore()
    await store.putCheckpoint(pointAt('p', 1), { format: 'wasm32-unknown-emscripten2', memory: noise(1000) })
    const loaded = await store.loadCheckpoint({ processId: 'p', nonce: 1 })
    expect(loaded.status).toBe('loaded')
    expect(loaded.status === 'loaded' && Object.keys(loaded.snapshot).sort()).toEqual(['format', 'memory'])
    store.close()
  })

  it('stores a chunk once: a second 5 MiB memory differing in one byte adds about one chunk', async () => {
    const store = await openTestStore()
    const first = noise(5 * MiB, 3)
    const second = flipped(first, 2 * MiB + 77)
    await store.putCheckpoint(pointAt('p', 1), { format: 'wasm32-unknown-emscripten2', memory: first })
    const afterFirst = (await store.usage()).bytes
    await store.putCheckpoint(pointAt('p', 2), { format: 'wasm32-unknown-emscripten2', memory: second })
    const usage = await store.usage()

    const [one, two] = usage.checkpoints
    expect(one).toMatchObject({ nonce: 1, raw: 5 * MiB })
    expect(one!.gzip).toBeGreaterThan(5 * MiB) // noise does not compress
    expect(one!.dedup).toBeGreaterThan(5 * MiB)
    expect(two).toMatchObject({ nonce: 2, raw: 5 * MiB, gzip: one!.gzip })
    expect(two!.dedup).toBeGreaterThan(MiB)
    expect(two!.dedup).toBeLessThan(1.01 * MiB)
    expect(usage.bytes - afterFirst).toBeLessThan(1.05 * MiB)

    for (const [nonce, memory] of [[1, first], [2, second]] as const) {
      const loaded = await store.loadCheckpoint({ processId: 'p', nonce })
      expect(loaded.status === 'loaded' && Buffer.from(loaded.snapshot.memory).equals(Buffer.from(memory))).toBe(true)
    }
    store.close()
  })

  it('stores all-zero chunks for nothing', async () => {
    const store = await openTestStore()
    const memory = new Uint8Array(64 * MiB)
    memory.set(noise(1000), 40 * MiB + 5)
    await store.putCheckpoint(pointAt('p', 1), { format: 'wasm32-unknown-emscripten2', memory })
    const usage = await store.usage()
    expect(usage.checkpoints[0]).toMatchObject({ raw: 64 * MiB })
    // 63 zero chunks cost nothing; the one with the noise costs its 1000 bytes and ~1 KiB of gzip for its zeros.
    expect(usage.checkpoints[0]!.gzip).toBeLessThan(3000)
    expect(usage.bytes).toBeLessThan(10_000)
    const loaded = await store.loadCheckpoint({ processId: 'p', nonce: 1 })
    expect(loaded.status === 'loaded' && Buffer.from(loaded.snapshot.memory).equals(Buffer.from(memory))).toBe(true)
    store.close()
  })

  it('frees the chunks of a checkpoint it replaces or deletes, and no shared one', async () => {
    const store = await openTestStore({ chunkSize: 1024 })
    const a = noise(4096, 1)
    const b = flipped(a, 100, 1)
    await store.putCheckpoint(pointAt('p', 1), { format: 'wasm32-unknown-emscripten2', memory: a })
    const one = (await store.usage()).bytes
    await store.putCheckpoint(pointAt('p', 2), { format: 'wasm32-unknown-emscripten2', memory: a })
    await store.putCheckpoint(pointAt('p', 2), { format: 'wasm32-unknown-emscripten2', memory: b })
    await store.deleteCheckpoints('p', [1])
    // Only nonce 2 (memory b) is left: exactly what storing b alone takes.
    const alone = await openTestStore({ chunkSize: 1024 })
    await alone.putCheckpoint(pointAt('p', 2), { format: 'wasm32-unknown-emscripten2', memory: b })
    expect((await store.usage()).bytes).toBe((await alone.usage()).bytes)
    expect((await store.usage()).bytes).toBeGreaterThan(one / 2)
    const loaded = await store.loadCheckpoint({ processId: 'p', nonce: 2 })
    expect(loaded.status === 'loaded' && Buffer.from(loaded.snapshot.memory).equals(Buffer.from(b))).toBe(true)
    await store.deleteCheckpoints('p', [2])
    expect((await store.usage()).bytes).toBe(0)
    store.close()
    alone.close()
  })

  it('finds the latest checkpoint at or below a nonce, and lists them by nonce', async () => {
    const store = await openTestStore()
    for (const nonce of [30, 10, 20]) await store.putCheckpoint(pointAt('p', nonce), { format: 'wasm32-unknown-emscripten2', memory: noise(100, nonce) })
    await store.putCheckpoint(pointAt('q', 99), { format: 'wasm32-unknown-emscripten2', memory: noise(100) })
    expect((await store.latestCheckpoint('p'))?.nonce).toBe(30)
    expect((await store.latestCheckpoint('p', 29))?.nonce).toBe(20)
    expect((await store.latestCheckpoint('p', 20))?.nonce).toBe(20)
    expect(await store.latestCheckpoint('p', 9)).toBeUndefined()
    expect(await store.latestCheckpoint('r')).toBeUndefined()
    expect((await store.listCheckpoints('p')).map((c) => c.nonce)).toEqual([10, 20, 30])
    expect(await store.loadCheckpoint({ processId: 'p', nonce: 11 })).toEqual({ status: 'missing' })
    store.close()
  })

  it('prunes checkpoints by the policy', async () => {
    const store = await openTestStore()
    for (let nonce = 0; nonce <= 1000; nonce += 100) await store.putCheckpoint(pointAt('p', nonce), { format: 'wasm32-unknown-emscripten2', memory: noise(100, nonce + 1) })
    const deleted = await store.pruneCheckpoints('p', { keepNewest: 3, ladderBase: 300 })
    expect(deleted.length).toBeGreaterThan(0)
    const left = (await store.listCheckpoints('p')).map((c) => c.nonce)
    expect(left).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].filter((n) => !deleted.includes(n)))
    expect(left.slice(-3)).toEqual([800, 900, 1000])
    expect(left[0]).toBe(0)
    store.close()
  })
})
