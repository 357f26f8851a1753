import type { Store } from './storeTypes.ts'
import { replaceRecord } from './replaceRecord.ts'
import type { StoreContext } from './storeContext.ts'

type KeyedMethods = 'getModule' | 'putModule' | 'putResults' | 'getResults' | 'putVerdict' | 'getVerdicts' | 'getLocation' | 'putLocation'

/** The store's records replaced by key: modules, message results, verdicts per CU, SU locations. */
export function keyedRecords(context: StoreContext): Pick<Store, KeyedMethods> {
  const { db, write, withEviction } = context
  return {
    async getModule(id) {
      const record = await (await db()).get('modules', id)
      if (!record) return undefined
      const { bytes, ...module } = record
      return { module, bytes }
    },
    async putModule(module, bytes) {
      // A view into a larger buffer would store the whole buffer.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
      return withEviction(() => write(['modules'], (tx, count) => replaceRecord(tx, 'modules', module.id, { ...module, bytes: own }, count)), undefined, `module ${module.id}`)
    },
    async putResults(processId, results) {
      if (results.length === 0) return { stored: true, evicted: [] }
      const keep = await context.latestCheckpoint(processId)
      const records = results.map(({ nonce, messageId, digest, result }) => ({ processId, nonce, messageId, digest, ...(result === undefined ? {} : { result }) }))
      const nonces = results.map((r) => r.nonce)
      return withEviction(
        () => write(['results'], async (tx, count) => void (await Promise.all(records.map((record) => replaceRecord(tx, 'results', [processId, record.nonce], record, count))))),
        keep,
        `the results of process ${processId} for nonces ${Math.min(...nonces)} to ${Math.max(...nonces)}`,
      )
    },
    async getResults(processId, fromNonce, toNonce) {
      const records = await (await db()).getAll('results', IDBKeyRange.bound([processId, fromNonce], [processId, toNonce]))
      return records.map(({ nonce, messageId, digest, result }) => ({ nonce, messageId, digest, ...(result === undefined ? {} : { result }) }))
    },
    async putVerdict(processId, verdict, at = Date.now()) {
      const keep = await context.latestCheckpoint(processId)
      const record = { processId, cu: verdict.cu, verdict, at }
      return withEviction(() => write(['verdicts'], (tx, count) => replaceRecord(tx, 'verdicts', [processId, verdict.cu], record, count)), keep, `the verdict on process ${processId} against ${verdict.cu}`)
    },
    async getVerdicts(processId) {
      const records = await (await db()).getAll('verdicts', IDBKeyRange.bound([processId], [processId, []]))
      return records.map(({ verdict, at }) => ({ verdict, at }))
    },
    async getLocation(processId, now = Date.now()) {
      const record = await (await db()).get('locations', processId)
      if (!record || record.until <= now) return undefined
      return { su: record.su, scheduler: record.scheduler, until: record.until, ...(record.process ? { process: record.process } : {}) }
    },
    async putLocation(processId, location) {
      return withEviction(() => write(['locations'], (tx, count) => replaceRecord(tx, 'locations', processId, { processId, ...location }, count)), undefined, `where process ${processId} is scheduled`)
    },
  }
}
