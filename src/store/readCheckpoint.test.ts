import 'fake-indexeddb/auto'
import { wrap, type IDBPDatabase } from 'idb'
import { describe, expect, it } from 'vitest'
import { CorruptCheckpointError } from './errors.ts'
import { gzip } from '../core/encoding/gzip.ts'
import type { HoloscopeSchema } from './schema.ts'
import { flipped, MiB, noise, openTestStore, pointAt } from './testing.ts'

/** The store's database opened behind its back, to damage it as a disk or another program might. */
async function rawDatabase(name: string): Promise<IDBPDatabase<HoloscopeSchema>> {
  return (await wrap(indexedDB.open(name))) as unknown as IDBPDatabase<HoloscopeSchema>
}

const name = (() => {
  let n = 0
  return () => `corrupt-${process.pid}-${++n}`
})()

/** Two checkpoints of process p at nonces 1 and 2 whose memories differ in chunk 3 only. */
async function twoCheckpoints(dbName: string) {
  const store = await openTestStore({ name: dbName })
  const older = noise(4 * MiB + 100, 5)
  const newer = flipped(older, 2 * MiB + 1, 0x55)
  await store.putCheckpoint(pointAt('p', 1), { format: 'wasm32-unknown-emscripten2', memory: older })
  await store.putCheckpoint(pointAt('p', 2), { format: 'wasm32-unknown-emscripten2', memory: newer })
  const raw = await rawDatabase(dbName)
  const [a, b] = await Promise.all([raw.get('checkpoints', ['p', 1]), raw.get('checkpoints', ['p', 2])])
  const onlyNewer = b!.chunks.find((hash) => !a!.chunks.includes(hash))!
  return { store, raw, older, onlyNewer }
}

describe('loadCheckpoint on a damaged checkpoint', () => {
  for (const [damage, reason, alter] of [
    ['a chunk replaced by other valid gzip', 'chunk 3 of 5 does not match its SHA-256', async () => gzip(noise(MiB, 99))],
    ['a chunk with a flipped byte', 'chunk 3 of 5 does not decompress', undefined],
    ['a chunk cut short', 'chunk 3 of 5 has 1000 bytes, not 1048576', async () => gzip(noise(1000, 99))],
  ] as const) {
    it(`reports ${damage} as corrupted, deletes the checkpoint and falls back to the older one`, async () => {
      const dbName = name()
      const { store, raw, older, onlyNewer } = await twoCheckpoints(dbName)
      const body = (await raw.get('chunkData', onlyNewer))!
      const damaged = alter ? await alter() : flipped(body, Math.floor(body.byteLength / 2), 0x01)
      await raw.put('chunkData', damaged, onlyNewer)

      const outcome = await store.loadCheckpoint({ processId: 'p', nonce: 2 })
      if (outcome.status !== 'corrupted') throw new Error(`expected corrupted, got ${outcome.status}`)
      expect(outcome.checkpoint.nonce).toBe(2)
      expect(outcome.error).toBeInstanceOf(CorruptCheckpointError)
      expect(outcome.error.message).toBe(
        `The local checkpoint of process p at nonce 2 is corrupted (${reason}) and was deleted. The process will be replayed from an earlier checkpoint.`,
      )
      // The bad chunk is gone too, so no later checkpoint can reuse it.
      expect(await raw.get('chunkData', onlyNewer)).toBeUndefined()
      expect((await store.listCheckpoints('p')).map((c) => c.nonce)).toEqual([1])
      const latest = await store.latestCheckpoint('p')
      expect(latest?.nonce).toBe(1)
      const loaded = await store.loadCheckpoint(latest!)
      expect(loaded.status === 'loaded' && Buffer.from(loaded.snapshot.memory).equals(Buffer.from(older))).toBe(true)
      raw.close()
      store.close()
    })
  }

  it('reports a missing chunk as corrupted and falls back to the older checkpoint intact', async () => {
    const dbName = name()
    const { store, raw, onlyNewer, older } = await twoCheckpoints(dbName)
    await raw.delete('chunkData', onlyNewer)
    const missing = await store.loadCheckpoint({ processId: 'p', nonce: 2 })
    expect(missing.status === 'corrupted' && missing.error.message).toContain('(chunk 3 of 5 is missing)')
    expect((await store.listCheckpoints('p')).map((c) => c.nonce)).toEqual([1])
    const loaded = await store.loadCheckpoint({ processId: 'p', nonce: 1 })
    expect(loaded.status === 'loaded' && Buffer.from(loaded.snapshot.memory).equals(Buffer.from(older))).toBe(true)
    raw.close()
    store.close()
  })
})
