import type { StoreUsage } from './storeTypes.ts'
import type { StoreContext } from './storeContext.ts'

/** Bytes the store holds by its own count, per store and per checkpoint, with the browser's estimate. */
export async function storeUsage(context: StoreContext): Promise<StoreUsage> {
  const connection = await context.db()
  const [counter, records, estimate] = await Promise.all([connection.get('usage', 'bytes'), connection.getAll('checkpoints'), context.storage?.estimate?.().catch(() => undefined)])
  return {
    bytes: counter?.total ?? 0,
    byStore: counter?.byStore ?? {},
    checkpoints: records.map((record) => ({
      processId: record.processId,
      nonce: record.nonce,
      raw: record.memoryLength,
      gzip: record.chunkBytes.reduce((sum, bytes) => sum + bytes, 0),
      dedup: record.addedBytes,
    })),
    persisted: await context.persisted,
    ...(estimate ? { estimate: { ...(estimate.usage === undefined ? {} : { usage: estimate.usage }), ...(estimate.quota === undefined ? {} : { quota: estimate.quota }) } } : {}),
  }
}
