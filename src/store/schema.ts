import type { DBSchema, IDBPDatabase } from 'idb'
import type { Checkpoint } from '../core/checkpoint/types.ts'
import type { ModuleMeta } from '../core/message/toAoEnv.ts'
import type { EvalResult, SuNode, SuProcess } from '../core/message/types.ts'
import type { Verdict } from '../core/verify/verdict.ts'

/** A module's bytes with what the gateway says of it. */
export type ModuleRecord = ModuleMeta & { bytes: Uint8Array }

/** A run of a process's SU log: the nodes of nonces `fromNonce` to `toNonce`, in order. */
export type PageRecord = { processId: string; fromNonce: number; toNonce: number; nodes: SuNode[] }

/**
 * A checkpoint and where its memory is: `chunks[i]` is the hex SHA-256 of the raw bytes from
 * `i * chunkSize` (the key of its gzip body in `chunkData`), or null for an all-zero chunk, which
 * is not stored.
 */
export type CheckpointRecord = Checkpoint & {
  globals?: Array<number | bigint>
  chunkSize: number
  chunks: Array<string | null>
  /** Gzip bytes of each chunk (0 for zeros), for `usage`. */
  chunkBytes: number[]
  /** Bytes this checkpoint added when stored: its chunks that were not stored yet. */
  addedBytes: number
  /** Increases with every store and load, for least-recently-used eviction. */
  usedAt: number
}

/** What is known of a stored chunk without reading its body. */
export type ChunkRecord = { hash: string; rawLength: number; gzipLength: number }

/** A result of one message, kept small: its digest, and the result itself only when asked to. */
export type ResultRecord = { processId: string; nonce: number; messageId: string; digest: string; result?: EvalResult }

/** The last verdict on a process against one CU, and when it was reached (ms since epoch). */
export type VerdictRecord = { processId: string; cu: string; verdict: Verdict; at: number }

/**
 * Where a process's SU was found (its Scheduler tag's Scheduler-Location record), kept until
 * `until` (ms since epoch) so a later visit need not ask the gateway again, with the process as
 * the SU served it (optional: records of the first v2 stores have none).
 */
export type LocationRecord = { processId: string; su: string; scheduler: string; until: number; process?: SuProcess }

/** The byte counter: IndexedDB has no size API, so every write adds what it stores. */
export type UsageRecord = { total: number; byStore: Partial<Record<CountedStore, number>> }

/** Holoscope's one IndexedDB schema. */
export interface HoloscopeSchema extends DBSchema {
  modules: { key: string; value: ModuleRecord }
  pages: { key: [string, number]; value: PageRecord }
  checkpoints: { key: [string, number]; value: CheckpointRecord; indexes: { 'by-used': number; 'by-chunk': string } }
  chunks: { key: string; value: ChunkRecord }
  chunkData: { key: string; value: Uint8Array }
  results: { key: [string, number]; value: ResultRecord }
  verdicts: { key: [string, string]; value: VerdictRecord }
  locations: { key: string; value: LocationRecord }
  usage: { key: 'bytes'; value: UsageRecord }
}

/** A store of the schema. */
export type StoreName = 'modules' | 'pages' | 'checkpoints' | 'chunks' | 'chunkData' | 'results' | 'verdicts' | 'locations' | 'usage'

/** The stores whose bytes the counter counts. */
export type CountedStore = Exclude<StoreName, 'usage'>

/** An open connection to the schema. */
export type HoloscopeDB = IDBPDatabase<HoloscopeSchema>

/** The schema's version; `upgradeSchema` brings any older one up to it. */
export const schemaVersion = 2

/**
 * Brings a database at `oldVersion` (0: new) up to `newVersion` (default `schemaVersion`), one
 * version at a time, so a database several versions behind goes through every step. Runs inside
 * the upgrade transaction: no awaiting anything but its requests.
 */
export function upgradeSchema(db: HoloscopeDB, oldVersion: number, newVersion = schemaVersion): void {
  if (oldVersion < 1 && newVersion >= 1) {
    db.createObjectStore('modules', { keyPath: 'id' })
    db.createObjectStore('pages', { keyPath: ['processId', 'fromNonce'] })
    const checkpoints = db.createObjectStore('checkpoints', { keyPath: ['processId', 'nonce'] })
    checkpoints.createIndex('by-used', 'usedAt')
    // multiEntry: a chunk hash is looked up to learn whether any checkpoint still uses it (null,
    // an all-zero chunk, is not a key and is left out).
    checkpoints.createIndex('by-chunk', 'chunks', { multiEntry: true })
    db.createObjectStore('chunks', { keyPath: 'hash' })
    db.createObjectStore('chunkData')
    db.createObjectStore('results', { keyPath: ['processId', 'nonce'] })
    db.createObjectStore('verdicts', { keyPath: ['processId', 'cu'] })
    db.createObjectStore('usage')
  }
  if (oldVersion < 2 && newVersion >= 2) {
    db.createObjectStore('locations', { keyPath: 'processId' })
  }
}
