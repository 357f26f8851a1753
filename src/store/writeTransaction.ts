import type { IDBPTransaction } from 'idb'
import { isQuotaError, quotaExceeded } from './isQuotaError.ts'
import type { CountedStore, HoloscopeDB, HoloscopeSchema, StoreName, UsageRecord } from './schema.ts'

/** A read-write transaction over some stores of the schema. */
export type WriteTx = IDBPTransaction<HoloscopeSchema, StoreName[], 'readwrite'>

/** Tells the byte counter what a write added to a store (negative: freed). */
export type CountBytes = (store: CountedStore, bytes: number) => void

/**
 * Runs `body` in one read-write transaction over `stores` and the byte counter, then adds what
 * `body` counted to the counter. When the counter would pass `maxBytes` the transaction is
 * aborted with a QuotaExceededError, as a full disk would. Any failure aborts the whole
 * transaction. `body` must await only requests of `tx` (no network, no compression).
 *
 * @throws the QuotaExceededError a request threw or the transaction aborted with; any other
 *   request or transaction error
 */
export async function writeTransaction<T>(
  db: HoloscopeDB,
  stores: StoreName[],
  body: (tx: WriteTx, count: CountBytes) => Promise<T>,
  maxBytes?: number,
): Promise<T> {
  const tx: WriteTx = db.transaction([...stores, 'usage'], 'readwrite')
  const done = tx.done
  done.catch(() => undefined) // awaited below; this only keeps an early abort from going unhandled
  const delta = new Map<CountedStore, number>()
  try {
    const value = await body(tx, (store, bytes) => delta.set(store, (delta.get(store) ?? 0) + bytes))
    const usage = tx.objectStore('usage')
    const before: UsageRecord = (await usage.get('bytes')) ?? { total: 0, byStore: {} }
    const byStore = { ...before.byStore }
    let added = 0
    for (const [store, bytes] of delta) {
      byStore[store] = (byStore[store] ?? 0) + bytes
      added += bytes
    }
    const total = before.total + added
    if (added > 0 && maxBytes !== undefined && total > maxBytes) throw quotaExceeded(`storing ${added} more bytes would pass the ${maxBytes} allowed (${before.total} in use)`)
    await usage.put({ total, byStore }, 'bytes')
    await done
    return value
  } catch (error) {
    try {
      tx.abort()
    } catch {
      // already finished (committed or aborted)
    }
    if (!isQuotaError(error) && isQuotaError(tx.error)) throw tx.error
    throw error
  }
}
