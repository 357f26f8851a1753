import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { wrap, type IDBPDatabase } from 'idb'
import type { HoloscopeSchema } from '../store/schema.ts'
import { noise, openTestStore, pointAt } from '../store/testing.ts'
import { resumePoint, type ResumeOptions } from './resumePoint.ts'

const cu = 'http://cu.test'
const options = (store: ResumeOptions['store'], notices: string[] = [], targetNonce = 20): ResumeOptions => ({ store, processId: 'p', targetNonce, cus: [cu], notice: (n) => notices.push(n), recheck: false })
const results = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ nonce: from + i, messageId: `m${from + i}`, digest: 'd', result: { Output: '', Messages: [], Spawns: [], Assignments: [], GasUsed: 0 } }))

describe('resumePoint (without verifyProcess)', () => {
  it('starts at nonce 0 without a store or a checkpoint', async () => {
    expect((await resumePoint(options(undefined))).start).toEqual({ source: 'genesis' })
    const store = await openTestStore()
    expect((await resumePoint(options(store))).start).toEqual({ source: 'genesis' })
    store.close()
  })

  it('resumes from the newest checkpoint at or below the target whose earlier results are stored', async () => {
    const store = await openTestStore()
    await store.putResults('p', results(0, 15))
    for (const nonce of [5, 10, 15]) await store.putCheckpoint(pointAt('p', nonce), { format: 'wasm32-unknown-emscripten2', memory: noise(100, nonce) })
    const resume = await resumePoint(options(store, [], 12))
    expect(resume.start).toEqual({ source: 'local-checkpoint', nonce: 10 })
    expect(resume.messageId).toBe('m10')
    expect(resume.snapshot?.memory).toEqual(noise(100, 10))
    store.close()
  })

  it('starts earlier when the results before a checkpoint are missing for a CU not compared that far', async () => {
    const store = await openTestStore()
    await store.putResults('p', results(0, 5))
    for (const nonce of [5, 10]) await store.putCheckpoint(pointAt('p', nonce), { format: 'wasm32-unknown-emscripten2', memory: noise(100, nonce) })
    expect((await resumePoint(options(store))).start).toEqual({ source: 'local-checkpoint', nonce: 5 })
    store.close()
  })

  it('drops a corrupted checkpoint with a notice and resumes from the next older one', async () => {
    const name = `resume-corrupt-${process.pid}`
    const store = await openTestStore({ name })
    await store.putResults('p', results(0, 10))
    for (const nonce of [5, 10]) await store.putCheckpoint(pointAt('p', nonce), { format: 'wasm32-unknown-emscripten2', memory: noise(100, nonce) })
    // Its one chunk replaced behind the store's back, as a disk or another program might.
    const raw = (await wrap(indexedDB.open(name))) as unknown as IDBPDatabase<HoloscopeSchema>
    const [chunk] = (await raw.get('checkpoints', ['p', 10]))!.chunks
    await raw.put('chunkData', (await raw.get('chunkData', chunk!))!.slice(0, 10), chunk!)
    raw.close()
    const notices: string[] = []
    expect((await resumePoint(options(store, notices))).start).toEqual({ source: 'local-checkpoint', nonce: 5 })
    expect(notices.join(' ')).toMatch(/discarded; the replay rebuilds it/)
    expect(await store.latestCheckpoint('p')).toMatchObject({ nonce: 5 })
    store.close()
  })
})
