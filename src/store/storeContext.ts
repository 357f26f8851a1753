import { openDB } from 'idb'
import type { Checkpoint, CheckpointKey } from '../core/checkpoint/types.ts'
import { checkpointOf } from './checkpointOf.ts'
import { evictLeastRecentlyUsed } from './deleteCheckpointRecords.ts'
import { StoreClosedError, StoreVersionError } from './errors.ts'
import { isQuotaError } from './isQuotaError.ts'
import type { StorageLike, WriteOutcome } from './storeTypes.ts'
import { schemaVersion, upgradeSchema, type HoloscopeDB, type HoloscopeSchema, type StoreName } from './schema.ts'
import { writeTransaction, type CountBytes, type WriteTx } from './writeTransaction.ts'

/** What every part of the store works with: the connection, writes that evict when full, the limits. */
export type StoreContext = {
  /** The open connection (opened again when the browser closed it). @throws StoreClosedError once closed */
  db(): Promise<HoloscopeDB>
  /** One read-write transaction over `stores` with the byte counter (`writeTransaction`). */
  write<T>(stores: StoreName[], body: (tx: WriteTx, count: CountBytes) => Promise<T>): Promise<T>
  /** Runs `attempt` until it fits, evicting a checkpoint (never `keep`) after each full-disk failure. */
  withEviction(attempt: () => Promise<void>, keep: CheckpointKey | undefined, what: string): Promise<WriteOutcome>
  latestCheckpoint(processId: string, atOrBelowNonce?: number): Promise<Checkpoint | undefined>
  /** A strictly increasing use time (ms), for least-recently-used eviction. */
  nextUse(): number
  maxBytes: number | undefined
  chunkSize: number
  storage: StorageLike | undefined
  /** Whether the browser granted persistent storage, asked once on the first checkpoint. */
  persisted: Promise<boolean | undefined> | undefined
  /** Closes the connection; later calls throw StoreClosedError. */
  close(): void
}

/** How the context opens its database. */
export type ContextOptions = { name: string; maxBytes: number | undefined; chunkSize: number; storage: StorageLike | undefined; onBlocked: (() => void) | undefined }

/**
 * Opens the database (the one place it is opened) and returns the context over it. Another tab
 * opening a newer version closes this connection; calls then throw StoreClosedError.
 *
 * @throws StoreVersionError when the database is of a newer Holoscope; other IndexedDB errors
 */
export async function openStoreContext(options: ContextOptions): Promise<StoreContext> {
  const { name, onBlocked } = options
  let closed: StoreClosedError | undefined
  let connection: Promise<HoloscopeDB> | undefined
  const connect = (): Promise<HoloscopeDB> =>
    openDB<HoloscopeSchema>(name, schemaVersion, {
      upgrade: (db, oldVersion) => upgradeSchema(db, oldVersion),
      blocked: () => onBlocked?.(),
      blocking: () => {
        closed ??= new StoreClosedError(name, 'upgraded elsewhere')
        void connection?.then((db) => db.close(), () => undefined)
      },
      terminated: () => {
        connection = undefined
      },
    }).catch((error: unknown) => {
      connection = undefined
      throw (error as { name?: unknown } | null)?.name === 'VersionError' ? new StoreVersionError(name, error) : error
    })
  const db = (): Promise<HoloscopeDB> => (closed ? Promise.reject(closed) : (connection ??= connect()))
  await db()
  let lastUse = 0
  return {
    db,
    write: async (stores, body) => writeTransaction(await db(), stores, body, options.maxBytes),
    withEviction: (attempt, keep, what) => withEviction(db, attempt, keep, what),
    async latestCheckpoint(processId, atOrBelowNonce = Infinity) {
      const cursor = await (await db()).transaction('checkpoints').store.openCursor(IDBKeyRange.bound([processId, -Infinity], [processId, atOrBelowNonce]), 'prev')
      return cursor ? checkpointOf(cursor.value) : undefined
    },
    nextUse: () => (lastUse = Math.max(Date.now(), lastUse + 1)),
    maxBytes: options.maxBytes,
    chunkSize: options.chunkSize,
    storage: options.storage,
    persisted: undefined,
    close() {
      closed ??= new StoreClosedError(name, 'closed')
      void connection?.then((db) => db.close(), () => undefined)
    },
  }
}

/** Runs `attempt` until it fits, evicting the least recently used checkpoint (never `keep`) after each full-disk failure. */
async function withEviction(db: () => Promise<HoloscopeDB>, attempt: () => Promise<void>, keep: CheckpointKey | undefined, what: string): Promise<WriteOutcome> {
  const evicted: CheckpointKey[] = []
  for (;;) {
    try {
      await attempt()
      if (evicted.length === 0) return { stored: true, evicted }
      return { stored: true, evicted, notice: `Storage was full: evicted ${plural(evicted.length, 'older checkpoint')} to store ${what}.` }
    } catch (error) {
      if (!isQuotaError(error)) throw error
      // Deleting can itself hit the quota (a journal to write): then nothing more can be done.
      const victim = await evictLeastRecentlyUsed(await db(), keep).catch((evictError: unknown) => {
        if (isQuotaError(evictError)) return undefined
        throw evictError
      })
      if (victim) {
        evicted.push(victim)
        continue
      }
      const kept = await (await db()).count('checkpoints')
      return {
        stored: false,
        evicted,
        notice: `Storage full: kept ${plural(kept, 'checkpoint')}, evicted ${evicted.length}; ${what} was not stored. Free space in your browser's site settings for this site.`,
      }
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
