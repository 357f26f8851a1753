import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { describe, expect, it, vi } from 'vitest'
import type { SuNode } from '../core/message/types.ts'
import type { Verdict } from '../core/verify/verdict.ts'
import { StoreClosedError, StoreVersionError } from './errors.ts'
import { openStore, type LogPage } from './openStore.ts'
import { schemaVersion, upgradeSchema, type HoloscopeSchema } from './schema.ts'
import { noise, openTestStore, pointAt } from './testing.ts'

const owner = { address: 'A'.repeat(43), key: 'k' }

function node(nonce: number): SuNode {
  const tags = [{ name: 'Nonce', value: String(nonce) }]
  return {
    message: { id: `m${nonce}`, owner, data: `data ${nonce}`, tags: [], signature: 's', anchor: null, target: 'P' },
    assignment: { id: `a${nonce}`, owner, tags, signature: 's', anchor: null, target: null },
  }
}

function page(fromNonce: number, toNonce: number): LogPage {
  return { fromNonce, toNonce, nodes: Array.from({ length: toNonce - fromNonce + 1 }, (_, i) => node(fromNonce + i)) }
}

/** What one page of process 'X' takes by the store's count. */
async function pageBytes(p: LogPage): Promise<number> {
  const store = await openTestStore()
  await store.putPage('X', p)
  const bytes = (await store.usage()).bytes
  store.close()
  return bytes
}

const ids = (pages: LogPage[]) => pages.map((p) => [p.fromNonce, p.toNonce, p.nodes.map((n) => n.assignment.id).join(',')])

describe('openStore', () => {
  it('keeps modules by id', async () => {
    const store = await openTestStore()
    const module = { id: 'mod', owner, tags: [{ name: 'Module-Format', value: 'wasm32-unknown-emscripten2' }] }
    expect(await store.putModule(module, new Uint8Array([0, 97, 115, 109]))).toEqual({ stored: true, evicted: [] })
    expect(await store.getModule('mod')).toEqual({ module, bytes: new Uint8Array([0, 97, 115, 109]) })
    expect(await store.getModule('other')).toBeUndefined()
    store.close()
  })

  it('returns the stored log from a nonce as consecutive pages up to the first gap', async () => {
    const store = await openTestStore()
    await store.putPage('P', page(0, 9))
    await store.putPage('P', page(10, 19))
    await store.putPage('P', page(15, 24)) // overlaps the one before
    await store.putPage('P', page(30, 39)) // after a gap
    await store.putPage('Q', page(0, 99))

    const fromStart = await store.getPages('P', 0)
    expect(fromStart.map((p) => [p.fromNonce, p.toNonce])).toEqual([[0, 9], [10, 19], [20, 24]])
    expect(fromStart.flatMap((p) => p.nodes).map((n) => n.assignment.id)).toEqual(Array.from({ length: 25 }, (_, i) => `a${i}`))
    expect(ids(await store.getPages('P', 7, 12))).toEqual([[7, 9, 'a7,a8,a9'], [10, 12, 'a10,a11,a12']])
    expect(ids(await store.getPages('P', 33))).toEqual([[33, 39, 'a33,a34,a35,a36,a37,a38,a39']])
    expect(await store.getPages('P', 25)).toEqual([])
    expect(await store.getPages('P', 40)).toEqual([])
    expect(await store.getPages('R', 0)).toEqual([])
    // A page inside a stored one adds nothing; a page around stored ones replaces them.
    await store.putPage('Q', page(0, 0))
    await store.putPage('Q', page(5, 9))
    const beforeQ = (await store.usage()).byStore.pages!
    expect(ids(await store.getPages('Q', 20, 21))).toEqual([[20, 21, 'a20,a21']])
    await store.putPage('S', page(5, 9))
    await store.putPage('S', page(20, 30))
    await store.putPage('S', page(0, 99))
    expect(ids(await store.getPages('S', 25, 26))).toEqual([[25, 26, 'a25,a26']])
    expect((await store.usage()).byStore.pages).toBe(beforeQ + (await pageBytes(page(0, 99))))
    await expect(store.putPage('P', { fromNonce: 0, toNonce: 5, nodes: [node(0)] })).rejects.toThrow(
      new RangeError('A page of nonces 0 to 5 must hold 6 nodes, not 1'),
    )
    store.close()
  })

  it('keeps results by nonce and the last verdict per CU', async () => {
    const store = await openTestStore()
    await store.putResults('P', [
      { nonce: 1, messageId: 'm1', digest: 'd1' },
      { nonce: 2, messageId: 'm2', digest: 'd2', result: { Output: 'hi', Messages: [], Spawns: [], Assignments: [] } },
      { nonce: 3, messageId: 'm3', digest: 'd3' },
    ])
    await store.putResults('P', [{ nonce: 3, messageId: 'm3', digest: 'd3b' }])
    await store.putResults('Q', [{ nonce: 2, messageId: 'q2', digest: 'q' }])
    expect(await store.getResults('P', 2, 3)).toEqual([
      { nonce: 2, messageId: 'm2', digest: 'd2', result: { Output: 'hi', Messages: [], Spawns: [], Assignments: [] } },
      { nonce: 3, messageId: 'm3', digest: 'd3b' },
    ])

    const verified: Verdict = { status: 'verified', cu: 'http://cu-1', nonce: 3 }
    const diverged: Verdict = { status: 'diverged', cu: 'http://cu-2', nonce: 2, messageId: 'm2', field: 'Output', local: 'a', remote: 'b' }
    await store.putVerdict('P', { status: 'unchecked', cu: 'http://cu-1', reason: 'offline' }, 1)
    await store.putVerdict('P', verified, 2)
    await store.putVerdict('P', diverged, 3)
    await store.putVerdict('Q', verified, 4)
    expect(await store.getVerdicts('P')).toEqual([
      { verdict: verified, at: 2 },
      { verdict: diverged, at: 3 },
    ])
    store.close()
  })

  it('remembers where a process is scheduled until the record expires', async () => {
    const store = await openTestStore()
    expect(await store.getLocation('P')).toBeUndefined()
    await store.putLocation('P', { su: 'http://su-1', scheduler: 'S'.repeat(43), until: 2_000 })
    expect(await store.getLocation('P', 1_999)).toEqual({ su: 'http://su-1', scheduler: 'S'.repeat(43), until: 2_000 })
    expect(await store.getLocation('P', 2_000)).toBeUndefined()
    expect(await store.getLocation('Q', 0)).toBeUndefined()
    await store.putLocation('P', { su: 'http://su-2', scheduler: 'T'.repeat(43), until: 5_000 })
    expect((await store.getLocation('P', 2_000))?.su).toBe('http://su-2')
    await store.clearProcess('P')
    expect(await store.getLocation('P', 0)).toBeUndefined()
    expect((await store.usage()).byStore.locations).toBe(0)
    store.close()
  })

  it('upgrades a database of the first schema version and keeps what it holds', async () => {
    const name = `upgrade-${process.pid}`
    const old = await openDB<HoloscopeSchema>(name, 1, { upgrade: (db, oldVersion) => upgradeSchema(db, oldVersion, 1) })
    expect([...old.objectStoreNames]).not.toContain('locations')
    await old.put('verdicts', { processId: 'P', cu: 'cu', verdict: { status: 'verified', cu: 'cu', nonce: 4 }, at: 1 })
    old.close()
    const store = await openStore({ name, storage: {} })
    expect(await store.getVerdicts('P')).toEqual([{ verdict: { status: 'verified', cu: 'cu', nonce: 4 }, at: 1 }])
    await store.putLocation('P', { su: 'http://su', scheduler: 'S', until: Infinity })
    expect(await store.getLocation('P')).toEqual({ su: 'http://su', scheduler: 'S', until: Infinity })
    store.close()
  })

  it('counts the bytes it stores, and clears a process down to what others use', async () => {
    const store = await openTestStore({ chunkSize: 1000 })
    const shared = noise(4000, 1)
    for (const processId of ['P', 'Q']) {
      await store.putPage(processId, page(0, 9))
      await store.putResults(processId, [{ nonce: 0, messageId: 'm0', digest: 'd' }])
      await store.putVerdict(processId, { status: 'verified', cu: 'cu', nonce: 0 })
      await store.putCheckpoint(pointAt(processId, 5), { format: 'wasm32-unknown-emscripten2', memory: shared })
    }
    const both = await store.usage()
    expect(both.bytes).toBe(Object.values(both.byStore).reduce((a, b) => a + b, 0))
    expect(both.byStore.chunkData).toBeGreaterThan(4000)

    await store.clearProcess('P')
    expect(await store.getPages('P', 0)).toEqual([])
    expect(await store.getResults('P', 0, 9)).toEqual([])
    expect(await store.getVerdicts('P')).toEqual([])
    expect(await store.listCheckpoints('P')).toEqual([])
    const left = await store.usage()
    expect(left.byStore.chunkData).toBe(both.byStore.chunkData) // Q still uses the chunks
    expect(left.bytes).toBeLessThan(both.bytes)
    expect(await store.loadCheckpoint({ processId: 'Q', nonce: 5 })).toMatchObject({ status: 'loaded' })

    await store.clearProcess('Q')
    expect((await store.usage()).byStore).toEqual({ pages: 0, results: 0, verdicts: 0, checkpoints: 0, chunks: 0, chunkData: 0 })
    store.close()
  })

  it('keeps everything across a close and a reopen', async () => {
    const name = `reopen-${process.pid}`
    const first = await openStore({ name, storage: {} })
    await first.putPage('P', page(0, 4))
    const { checkpoint } = await first.putCheckpoint(pointAt('P', 4), { format: 'wasm32-unknown-assemblyscript', memory: noise(5000), globals: [7n] })
    const bytes = (await first.usage()).bytes
    first.close()
    await expect(first.getPages('P', 0)).rejects.toThrow(new StoreClosedError(name, 'closed'))

    const second = await openStore({ name, storage: {} })
    expect((await second.getPages('P', 0))[0]?.toNonce).toBe(4)
    expect(await second.latestCheckpoint('P')).toEqual(checkpoint)
    expect((await second.usage()).bytes).toBe(bytes)
    const loaded = await second.loadCheckpoint(checkpoint)
    expect(loaded.status === 'loaded' && loaded.snapshot.globals).toEqual([7n])
    second.close()
  })

  it('closes when another tab upgrades the database, and refuses a database of a newer version', async () => {
    const name = `newer-${process.pid}`
    const store = await openStore({ name, storage: {} })
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name, schemaVersion + 1)
      request.onsuccess = () => {
        request.result.close()
        resolve()
      }
      request.onerror = () => reject(request.error)
    })
    await expect(store.getModule('m')).rejects.toThrow(
      `The local database "${name}" was upgraded by a newer Holoscope in another tab. Reload this page to go on.`,
    )
    const opening = openStore({ name, storage: {} })
    await expect(opening).rejects.toBeInstanceOf(StoreVersionError)
    await expect(opening).rejects.toThrow(
      `The local database "${name}" was written by a newer version of Holoscope. Reload this page to get the newer version, or clear the site's data.`,
    )
  })

  it('asks once for persistent storage, before the first checkpoint, and tolerates its absence', async () => {
    const persist = vi.fn(async () => true)
    const store = await openTestStore({ storage: { persist, estimate: async () => ({ usage: 10, quota: 100 }) } })
    expect(persist).not.toHaveBeenCalled()
    await store.putCheckpoint(pointAt('P', 1), { format: 'wasm32-unknown-emscripten2', memory: noise(10) })
    await store.putCheckpoint(pointAt('P', 2), { format: 'wasm32-unknown-emscripten2', memory: noise(10) })
    expect(persist).toHaveBeenCalledTimes(1)
    expect(await store.usage()).toMatchObject({ persisted: true, estimate: { usage: 10, quota: 100 } })
    store.close()

    const bare = await openTestStore({ storage: {} })
    expect((await bare.putCheckpoint(pointAt('P', 1), { format: 'wasm32-unknown-emscripten2', memory: noise(10) })).stored).toBe(true)
    expect(await bare.usage()).not.toHaveProperty('estimate')
    bare.close()
  })
})
