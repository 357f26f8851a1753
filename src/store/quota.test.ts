import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { isQuotaError } from './isQuotaError.ts'
import type { Store } from './openStore.ts'
import { MiB, noise, openTestStore, pointAt } from './testing.ts'

const format = 'wasm32-unknown-emscripten2'

/** Stores a checkpoint of 1 MiB of noise (one chunk, ~1 MiB stored) for each of `nonces`. */
async function fill(store: Store, processId: string, nonces: number[]) {
  for (const nonce of nonces) {
    const outcome = await store.putCheckpoint(pointAt(processId, nonce), { format, memory: noise(MiB, nonce + processId.charCodeAt(0) * 1000) })
    expect(outcome).toMatchObject({ stored: true, evicted: [] })
  }
}

describe('a full store (maxBytes)', () => {
  it('evicts the least recently used checkpoints, of any process, to store a new one', async () => {
    const store = await openTestStore({ maxBytes: 3.5 * MiB })
    await fill(store, 'p', [1, 2])
    await fill(store, 'q', [1])
    // Loading p@1 makes p@2 the least recently used.
    expect((await store.loadCheckpoint({ processId: 'p', nonce: 1 })).status).toBe('loaded')

    const outcome = await store.putCheckpoint(pointAt('q', 2), { format, memory: noise(MiB, 424242) })
    expect(outcome.stored).toBe(true)
    expect(outcome.evicted).toEqual([{ processId: 'p', nonce: 2 }])
    expect(outcome.notice).toBe('Storage was full: evicted 1 older checkpoint to store the checkpoint of process q at nonce 2.')
    expect((await store.listCheckpoints('p')).map((c) => c.nonce)).toEqual([1])
    expect((await store.listCheckpoints('q')).map((c) => c.nonce)).toEqual([1, 2])
    expect((await store.usage()).bytes).toBeLessThanOrEqual(3.5 * MiB)
    store.close()
  })

  it('gives up without failing when even evicting all it may is not enough, keeping the newest of the process', async () => {
    const store = await openTestStore({ maxBytes: 2.5 * MiB })
    await fill(store, 'p', [1, 2])
    const outcome = await store.putCheckpoint(pointAt('p', 3), { format, memory: noise(3 * MiB, 9) })
    expect(outcome.stored).toBe(false)
    expect(outcome.evicted).toEqual([{ processId: 'p', nonce: 1 }])
    expect(outcome.notice).toBe(
      "Storage full: kept 1 checkpoint, evicted 1; the checkpoint of process p at nonce 3 was not stored. Free space in your browser's site settings for this site.",
    )
    expect(outcome.checkpoint).toMatchObject({ nonce: 3, memoryLength: 3 * MiB })
    expect((await store.listCheckpoints('p')).map((c) => c.nonce)).toEqual([2])
    // Nothing of the failed write was left behind.
    const usage = await store.usage()
    expect(usage.checkpoints).toHaveLength(1)
    expect(usage.bytes).toBeLessThan(1.1 * MiB)
    store.close()
  })

  it('evicts checkpoints to store log pages and results too', async () => {
    const store = await openTestStore({ maxBytes: 2.5 * MiB })
    await fill(store, 'p', [1, 2])
    const outcome = await store.putResults('q', [{ nonce: 0, messageId: 'm0', digest: 'x'.repeat(MiB) }])
    expect(outcome).toMatchObject({ stored: true, evicted: [{ processId: 'p', nonce: 1 }] })
    expect((await store.getResults('q', 0, 0))[0]?.messageId).toBe('m0')
    store.close()
  })
})

describe('a full disk (QuotaExceededError from IndexedDB itself)', () => {
  const proto = IDBObjectStore.prototype
  const realPut = proto.put
  const realDelete = proto.delete
  afterEach(() => {
    proto.put = realPut
    proto.delete = realDelete
  })

  /**
   * Makes chunk bodies count against a disk of `capacity` bytes. Past it, a put either throws
   * (`'throw'`) or the transaction aborts with a QuotaExceededError as Chrome's commit does
   * (`'abort'`). Sizes are settled when a transaction completes.
   */
  function fakeDisk(capacity: number, mode: 'throw' | 'abort') {
    const onDisk = new Map<IDBValidKey, number>()
    const pending = new WeakMap<IDBTransaction, Map<IDBValidKey, number>>()
    const changesOf = (tx: IDBTransaction) => {
      let changes = pending.get(tx)
      if (!changes) {
        const created = new Map<IDBValidKey, number>()
        pending.set(tx, (changes = created))
        tx.addEventListener('complete', () => created.forEach((bytes, key) => (bytes < 0 ? onDisk.delete(key) : onDisk.set(key, bytes))))
      }
      return changes
    }
    const used = (tx: IDBTransaction) => {
      const changes = changesOf(tx)
      let total = 0
      for (const [key, bytes] of onDisk) if (!changes.has(key)) total += bytes
      for (const bytes of changes.values()) total += Math.max(0, bytes)
      return total
    }
    proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'chunkData' && key !== undefined) {
        const bytes = (value as Uint8Array).byteLength
        if (used(this.transaction) + bytes > capacity) {
          if (mode === 'throw') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
          const request = realPut.call(this, value, key)
          ;(this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError')
          return request
        }
        changesOf(this.transaction).set(key, bytes)
      }
      return realPut.call(this, value, key)
    }
    proto.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
      if (this.name === 'chunkData' && !(query instanceof IDBKeyRange)) changesOf(this.transaction).set(query, -1)
      return realDelete.call(this, query)
    }
    return onDisk
  }

  for (const mode of ['throw', 'abort'] as const) {
    it(`evicts and retries when a put ${mode === 'throw' ? 'throws' : 'aborts its transaction with'} QuotaExceededError`, async () => {
      const onDisk = fakeDisk(3.5 * MiB, mode)
      const store = await openTestStore()
      await fill(store, 'p', [1, 2, 3])
      expect(onDisk.size).toBe(3)
      const outcome = await store.putCheckpoint(pointAt('p', 4), { format, memory: noise(MiB, 4444) })
      expect(outcome).toMatchObject({ stored: true, evicted: [{ processId: 'p', nonce: 1 }] })
      expect((await store.listCheckpoints('p')).map((c) => c.nonce)).toEqual([2, 3, 4])
      expect(onDisk.size).toBe(3)
      // The counter agrees with what is really there: no half-written chunk was counted.
      expect((await store.usage()).byStore.chunkData).toBe([...onDisk.values()].reduce((a, b) => a + b, 0))
      const loaded = await store.loadCheckpoint({ processId: 'p', nonce: 4 })
      expect(loaded.status === 'loaded' && Buffer.from(loaded.snapshot.memory).equals(Buffer.from(noise(MiB, 4444)))).toBe(true)
      store.close()
    })
  }
})

describe('isQuotaError', () => {
  it('knows a full disk by name, by legacy code, inside a cause, or as the aborted transaction’s error', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true)
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true)
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true)
    expect(isQuotaError(new Error('write failed', { cause: new DOMException('x', 'QuotaExceededError') }))).toBe(true)
    expect(isQuotaError(new DOMException('x', 'AbortError'), new DOMException('y', 'QuotaExceededError'))).toBe(true)
    expect(isQuotaError(new DOMException('x', 'AbortError'), null)).toBe(false)
    expect(isQuotaError(new DOMException('x', 'ConstraintError'))).toBe(false)
    expect(isQuotaError(undefined)).toBe(false)
  })
})
