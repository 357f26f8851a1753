import { openDB, type StoreKey } from 'idb'
import type { CheckpointPolicy } from '../core/checkpoint/checkpointPolicy.ts'
import { checkpointsToDelete } from '../core/checkpoint/checkpointsToDelete.ts'
import type { Checkpoint, CheckpointKey, CheckpointPoint } from '../core/checkpoint/types.ts'
import type { ModuleMeta } from '../core/message/toAoEnv.ts'
import type { EvalResult, SuNode, SuProcess } from '../core/message/types.ts'
import type { Verdict } from '../core/verify/verdict.ts'
import type { Snapshot } from '../eval/types.ts'
import { checkpointOf } from './checkpointOf.ts'
import { checkpointStores, deleteCheckpointRecords, deleteChunks, evictLeastRecentlyUsed } from './deleteCheckpointRecords.ts'
import { CorruptCheckpointError, StoreClosedError, StoreVersionError } from './errors.ts'
import { isQuotaError } from './isQuotaError.ts'
import { assembleMemory, readCheckpoint } from './readCheckpoint.ts'
import { schemaVersion, upgradeSchema, type CountedStore, type HoloscopeDB, type HoloscopeSchema, type StoreName } from './schema.ts'
import { sizeOf } from './sizeOf.ts'
import { prepareCheckpoint, storeCheckpoint } from './storeCheckpoint.ts'
import { writeTransaction, type CountBytes, type WriteTx } from './writeTransaction.ts'

/** The part of `navigator.storage` the store uses. */
export type StorageLike = { persist?: () => Promise<boolean>; estimate?: () => Promise<StorageEstimate> }

/** How to open the store. */
export type StoreOptions = {
  /** The IndexedDB database's name, default `holoscope`. */
  name?: string
  /** Store at most this many bytes (by the store's own count): past it a write fails as on a full disk. */
  maxBytes?: number
  /** Bytes per memory chunk, default 1 MiB: well below any browser's limit on one value. */
  chunkSize?: number
  /** Default `navigator.storage`, when there is one. */
  storage?: StorageLike
  /** Called when tabs with an older Holoscope keep the database open; the open waits for them. */
  onBlocked?: () => void
}

/**
 * What became of a write. `stored` is false only when storage was full even after evicting
 * every checkpoint that could go; `notice` then says so for the user, and also when checkpoints
 * were evicted to make room.
 */
export type WriteOutcome = { stored: boolean; evicted: CheckpointKey[]; notice?: string }

/** A module's bytes with what the gateway says of it. */
export type StoredModule = { module: ModuleMeta; bytes: Uint8Array }

/** A run of a process's log: the SU nodes of nonces `fromNonce` to `toNonce`, in order. */
export type LogPage = { fromNonce: number; toNonce: number; nodes: SuNode[] }

/**
 * The result of one message, kept small: the caller's digest of the normalised result (such as
 * the SHA-256 of its canonical JSON), and the result itself only when the caller gives it.
 */
export type StoredResult = { nonce: number; messageId: string; digest: string; result?: EvalResult }

/** A verdict against one CU and when it was reached (ms since epoch). */
export type StoredVerdict = { verdict: Verdict; at: number }

/**
 * Where a process's SU is: its URL and wallet, fresh until `until` (ms since epoch), and the
 * process as that SU served it (a process never changes, so it need not be asked for again).
 */
export type StoredLocation = { su: string; scheduler: string; until: number; process?: SuProcess }

/**
 * What loading a checkpoint gave. A corrupted one has been deleted; `error` says which and why.
 * `missing`: there is no such checkpoint (deleted or evicted since it was listed).
 */
export type LoadOutcome =
  | { status: 'loaded'; checkpoint: Checkpoint; snapshot: Snapshot }
  | { status: 'corrupted'; checkpoint: Checkpoint; error: CorruptCheckpointError }
  | { status: 'missing' }

/**
 * Bytes the store holds by its own count (IndexedDB has none), and per checkpoint: `raw` memory
 * bytes, `gzip` bytes of its non-zero chunks, `dedup` bytes it added when stored (chunks no other
 * checkpoint had). `estimate` is the browser's estimate for the whole site, when it gives one.
 */
export type StoreUsage = {
  bytes: number
  byStore: Partial<Record<CountedStore, number>>
  checkpoints: Array<CheckpointKey & { raw: number; gzip: number; dedup: number }>
  persisted: boolean | undefined
  estimate?: { usage?: number; quota?: number }
}

/** Holoscope's local storage: modules, log pages, checkpoints, results and verdicts. */
export type Store = {
  /** The module stored under `id`, if any. */
  getModule(id: string): Promise<StoredModule | undefined>
  putModule(module: ModuleMeta, bytes: Uint8Array): Promise<WriteOutcome>
  /**
   * The stored log of a process from `fromNonce` on, as consecutive pages that start exactly at
   * `fromNonce` and end at the first gap (or at `toNonce`); empty when `fromNonce` is not stored.
   * What is left to fetch starts at the last page's `toNonce + 1`.
   */
  getPages(processId: string, fromNonce: number, toNonce?: number): Promise<LogPage[]>
  /**
   * Stores a page of a process's log, replacing the stored pages that lie inside it; a page that
   * lies inside a stored one is not stored again.
   *
   * @throws RangeError when `nodes` does not hold exactly nonces `fromNonce` to `toNonce`
   */
  putPage(processId: string, page: LogPage): Promise<WriteOutcome>
  /**
   * Stores a snapshot as the checkpoint at `point` (replacing one at the same nonce): memory in
   * gzip chunks, each stored once however many checkpoints share it, all-zero ones not at all.
   * Asks the browser once for persistent storage. When storage is full, evicts least recently
   * used checkpoints (never the process's newest) and retries; never fails for lack of space.
   * The snapshot's memory must not change until the returned promise settles.
   *
   * @returns the outcome and the checkpoint, with the memory's SHA-256, stored or not
   */
  putCheckpoint(point: CheckpointPoint, snapshot: Snapshot): Promise<WriteOutcome & { checkpoint: Checkpoint }>
  /** The process's checkpoint with the highest nonce (at or below `atOrBelowNonce`), if any. */
  latestCheckpoint(processId: string, atOrBelowNonce?: number): Promise<Checkpoint | undefined>
  /** The process's checkpoints, by nonce. */
  listCheckpoints(processId: string): Promise<Checkpoint[]>
  /**
   * A checkpoint's snapshot, its memory checked against its SHA-256. A corrupted checkpoint is
   * deleted, with its bad chunks (so no other checkpoint reuses them), and reported as such.
   */
  loadCheckpoint(key: CheckpointKey): Promise<LoadOutcome>
  /** Deletes the process's checkpoints at `nonces` and the chunks only they used. */
  deleteCheckpoints(processId: string, nonces: readonly number[]): Promise<void>
  /** Deletes the checkpoints `policy` does not keep (see `checkpointsToDelete`); returns their nonces. */
  pruneCheckpoints(processId: string, policy: Pick<CheckpointPolicy, 'keepNewest' | 'ladderBase'>): Promise<number[]>
  /** Stores results of a process's messages (replacing those at the same nonces). */
  putResults(processId: string, results: readonly StoredResult[]): Promise<WriteOutcome>
  /** The stored results of nonces `fromNonce` to `toNonce`, by nonce (gaps left out). */
  getResults(processId: string, fromNonce: number, toNonce: number): Promise<StoredResult[]>
  /** Stores a verdict, replacing the process's last one against the same CU. */
  putVerdict(processId: string, verdict: Verdict, at?: number): Promise<WriteOutcome>
  /** The process's last verdict against each CU, by CU. */
  getVerdicts(processId: string): Promise<StoredVerdict[]>
  /** Where the process's SU was found, while that is fresh (`until` not passed at `now`). */
  getLocation(processId: string, now?: number): Promise<StoredLocation | undefined>
  /** Remembers where the process's SU is, until `location.until`. */
  putLocation(processId: string, location: StoredLocation): Promise<WriteOutcome>
  usage(): Promise<StoreUsage>
  /** Deletes everything stored of a process but its module. */
  clearProcess(processId: string): Promise<void>
  /** Closes the connection; later calls throw StoreClosedError. */
  close(): void
}

/**
 * Opens (creating or upgrading) Holoscope's IndexedDB database. Another tab opening a newer
 * version closes this connection; calls then throw StoreClosedError. A connection the browser
 * closes by itself is opened again on the next call.
 *
 * @throws StoreVersionError when the database is of a newer Holoscope; other IndexedDB errors
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const { name = 'holoscope', maxBytes, chunkSize = 1 << 20, onBlocked } = options
  const storage = 'storage' in options ? options.storage : (globalThis as { navigator?: { storage?: StorageLike } }).navigator?.storage
  let closed: StoreClosedError | undefined
  let connection: Promise<HoloscopeDB> | undefined

  // The one place the database is opened.
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

  const db = (): Promise<HoloscopeDB> => {
    if (closed) return Promise.reject(closed)
    return (connection ??= connect())
  }
  await db()

  let lastUse = 0
  const nextUse = () => (lastUse = Math.max(Date.now(), lastUse + 1))
  let persisted: Promise<boolean | undefined> | undefined
  const write = async <T>(stores: StoreName[], body: (tx: WriteTx, count: CountBytes) => Promise<T>) => writeTransaction(await db(), stores, body, maxBytes)

  /** Runs `attempt` until it fits, evicting a checkpoint (never `keep`) after each full-disk failure. */
  const withEviction = async (attempt: () => Promise<void>, keep: CheckpointKey | undefined, what: string): Promise<WriteOutcome> => {
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

  const latestCheckpoint = async (processId: string, atOrBelowNonce = Infinity): Promise<Checkpoint | undefined> => {
    const cursor = await (await db()).transaction('checkpoints').store.openCursor(IDBKeyRange.bound([processId, -Infinity], [processId, atOrBelowNonce]), 'prev')
    return cursor ? checkpointOf(cursor.value) : undefined
  }

  const deleteCheckpoints = async (processId: string, nonces: readonly number[]): Promise<void> => {
    await write([...checkpointStores], async (tx, count) => {
      const records = await Promise.all(nonces.map(async (nonce) => tx.objectStore('checkpoints').get([processId, nonce])))
      await deleteCheckpointRecords(tx, records.filter((record) => record !== undefined), count)
    })
  }

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
      return withEviction(() => write(['modules'], (tx, count) => replace(tx, 'modules', module.id, { ...module, bytes: own }, count)), undefined, `module ${module.id}`)
    },

    async getPages(processId, fromNonce, toNonce = Infinity) {
      const store = (await db()).transaction('pages').store
      const first = await store.openCursor(IDBKeyRange.bound([processId, -Infinity], [processId, fromNonce]), 'prev')
      if (!first || first.value.toNonce < fromNonce) return []
      const pages: LogPage[] = []
      let next = fromNonce
      const range = IDBKeyRange.bound([processId, first.value.fromNonce], [processId, Infinity])
      for (let cursor = await store.openCursor(range); cursor && next <= toNonce; cursor = await cursor.continue()) {
        const page = cursor.value
        if (page.fromNonce > next) break
        if (page.toNonce < next) continue
        const to = Math.min(page.toNonce, toNonce)
        pages.push({ fromNonce: next, toNonce: to, nodes: page.nodes.slice(next - page.fromNonce, to - page.fromNonce + 1) })
        next = to + 1
      }
      return pages
    },

    async putPage(processId, page) {
      const { fromNonce, toNonce, nodes } = page
      if (!Number.isInteger(fromNonce) || !Number.isInteger(toNonce) || nodes.length !== toNonce - fromNonce + 1) {
        throw new RangeError(`A page of nonces ${fromNonce} to ${toNonce} must hold ${toNonce - fromNonce + 1} nodes, not ${nodes.length}`)
      }
      const keep = await latestCheckpoint(processId)
      const store = () =>
        write(['pages'], async (tx, count) => {
          // No stored page lies inside another, so the page a nonce is in is the last one starting at or before it.
          const pages = tx.objectStore('pages')
          const before = await pages.openCursor(IDBKeyRange.bound([processId, -Infinity], [processId, fromNonce]), 'prev')
          if (before && before.value.toNonce >= toNonce) return
          for (let cursor = await pages.openCursor(IDBKeyRange.bound([processId, fromNonce], [processId, toNonce])); cursor; cursor = await cursor.continue()) {
            if (cursor.value.toNonce > toNonce) break
            count('pages', -sizeOf(cursor.value))
            await cursor.delete()
          }
          const record = { processId, fromNonce, toNonce, nodes }
          await pages.put(record)
          count('pages', sizeOf(record))
        })
      return withEviction(store, keep, `the log of process ${processId} from nonce ${fromNonce} to ${toNonce}`)
    },

    async putCheckpoint(point, snapshot) {
      persisted ??= (async () => storage?.persist?.())().catch(() => undefined)
      const prepared = await prepareCheckpoint(point, snapshot, chunkSize)
      const keep = await latestCheckpoint(point.processId)
      const what = `the checkpoint of process ${point.processId} at nonce ${point.nonce}`
      const outcome = await withEviction(async () => storeCheckpoint(await db(), prepared, nextUse(), maxBytes), keep, what)
      return { ...outcome, checkpoint: prepared.checkpoint }
    },

    latestCheckpoint,

    async listCheckpoints(processId) {
      const records = await (await db()).getAll('checkpoints', IDBKeyRange.bound([processId, -Infinity], [processId, Infinity]))
      return records.map(checkpointOf)
    },

    async loadCheckpoint(key) {
      const read = await readCheckpoint(await db(), key)
      if (!read) return { status: 'missing' }
      const { record, bodies } = read
      const checkpoint = checkpointOf(record)
      const memory = await assembleMemory(record, bodies)
      if ('problem' in memory) {
        await write([...checkpointStores], async (tx, count) => {
          const current = await tx.objectStore('checkpoints').get([key.processId, key.nonce])
          if (current) await deleteCheckpointRecords(tx, [current], count)
          await deleteChunks(tx, memory.badChunks, count)
        })
        return { status: 'corrupted', checkpoint, error: new CorruptCheckpointError(key, memory.problem) }
      }
      // Marked as used without waiting: only the least-recently-used order depends on it.
      void write(['checkpoints'], async (tx) => {
        const current = await tx.objectStore('checkpoints').get([key.processId, key.nonce])
        if (current?.sha256 === record.sha256) await tx.objectStore('checkpoints').put({ ...current, usedAt: nextUse() })
      }).catch((error: unknown) => {
        if (!isQuotaError(error)) console.warn(`Holoscope: checkpoint ${key.processId}@${key.nonce} could not be marked as used`, error)
      })
      const snapshot: Snapshot = { format: record.format, memory: memory.memory, ...(record.globals ? { globals: record.globals } : {}) }
      return { status: 'loaded', checkpoint, snapshot }
    },

    deleteCheckpoints,

    async pruneCheckpoints(processId, policy) {
      const keys = await (await db()).getAllKeys('checkpoints', IDBKeyRange.bound([processId, -Infinity], [processId, Infinity]))
      const doomed = checkpointsToDelete(keys.map(([, nonce]) => nonce), policy)
      if (doomed.length > 0) await deleteCheckpoints(processId, doomed)
      return doomed
    },

    async putResults(processId, results) {
      if (results.length === 0) return { stored: true, evicted: [] }
      const keep = await latestCheckpoint(processId)
      const records = results.map(({ nonce, messageId, digest, result }) => ({ processId, nonce, messageId, digest, ...(result === undefined ? {} : { result }) }))
      const nonces = results.map((r) => r.nonce)
      return withEviction(
        () => write(['results'], async (tx, count) => void (await Promise.all(records.map((record) => replace(tx, 'results', [processId, record.nonce], record, count))))),
        keep,
        `the results of process ${processId} for nonces ${Math.min(...nonces)} to ${Math.max(...nonces)}`,
      )
    },

    async getResults(processId, fromNonce, toNonce) {
      const records = await (await db()).getAll('results', IDBKeyRange.bound([processId, fromNonce], [processId, toNonce]))
      return records.map(({ nonce, messageId, digest, result }) => ({ nonce, messageId, digest, ...(result === undefined ? {} : { result }) }))
    },

    async putVerdict(processId, verdict, at = Date.now()) {
      const keep = await latestCheckpoint(processId)
      return withEviction(
        () => write(['verdicts'], (tx, count) => replace(tx, 'verdicts', [processId, verdict.cu], { processId, cu: verdict.cu, verdict, at }, count)),
        keep,
        `the verdict on process ${processId} against ${verdict.cu}`,
      )
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
      return withEviction(() => write(['locations'], (tx, count) => replace(tx, 'locations', processId, { processId, ...location }, count)), undefined, `where process ${processId} is scheduled`)
    },

    async usage() {
      const connection = await db()
      const [counter, records, estimate] = await Promise.all([
        connection.get('usage', 'bytes'),
        connection.getAll('checkpoints'),
        storage?.estimate?.().catch(() => undefined),
      ])
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
        persisted: await persisted,
        ...(estimate ? { estimate: { ...(estimate.usage === undefined ? {} : { usage: estimate.usage }), ...(estimate.quota === undefined ? {} : { quota: estimate.quota }) } } : {}),
      }
    },

    async clearProcess(processId) {
      const range = IDBKeyRange.bound([processId], [processId, []])
      await write(['pages', 'results', 'verdicts', 'locations', ...checkpointStores], async (tx, count) => {
        const location = await tx.objectStore('locations').get(processId)
        if (location) {
          count('locations', -sizeOf(location))
          await tx.objectStore('locations').delete(processId)
        }
        for (const store of ['pages', 'results', 'verdicts'] as const) {
          for (let cursor = await tx.objectStore(store).openCursor(range); cursor; cursor = await cursor.continue()) {
            count(store, -sizeOf(cursor.value))
            await cursor.delete()
          }
        }
        await deleteCheckpointRecords(tx, await tx.objectStore('checkpoints').getAll(range), count)
      })
    },

    close() {
      closed ??= new StoreClosedError(name, 'closed')
      void connection?.then((db) => db.close(), () => undefined)
    },
  }
}

/** Puts `value` under `key` in `store`, counting it and taking away what it replaces. */
async function replace<S extends 'modules' | 'pages' | 'results' | 'verdicts' | 'locations'>(
  tx: WriteTx,
  store: S,
  key: StoreKey<HoloscopeSchema, S>,
  value: HoloscopeSchema[S]['value'],
  count: CountBytes,
): Promise<void> {
  const objectStore = tx.objectStore(store)
  const previous: unknown = await objectStore.get(key)
  if (previous !== undefined) count(store, -sizeOf(previous))
  await objectStore.put(value)
  count(store, sizeOf(value))
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
