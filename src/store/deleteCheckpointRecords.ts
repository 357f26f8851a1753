import type { CheckpointKey } from '../core/checkpoint/types.ts'
import type { CheckpointRecord, HoloscopeDB } from './schema.ts'
import { sizeOf } from './sizeOf.ts'
import { writeTransaction, type CountBytes, type WriteTx } from './writeTransaction.ts'

/** The stores a transaction that deletes checkpoints must cover. */
export const checkpointStores = ['checkpoints', 'chunks', 'chunkData'] as const

/**
 * Deletes checkpoint records, then every chunk of theirs that no remaining checkpoint uses.
 * `tx` must cover `checkpointStores`.
 */
export async function deleteCheckpointRecords(tx: WriteTx, records: readonly CheckpointRecord[], count: CountBytes): Promise<void> {
  const checkpoints = tx.objectStore('checkpoints')
  // Async callbacks: a request that throws at once must not leave the others' rejections unhandled.
  await Promise.all(records.map(async (record) => checkpoints.delete([record.processId, record.nonce])))
  for (const record of records) count('checkpoints', -sizeOf(record))
  await deleteUnusedChunks(tx, records.flatMap((record) => record.chunks), count)
}

/** Deletes those of `hashes` that no checkpoint uses any more. */
export async function deleteUnusedChunks(tx: WriteTx, hashes: ReadonlyArray<string | null>, count: CountBytes): Promise<void> {
  const byChunk = tx.objectStore('checkpoints').index('by-chunk')
  const candidates = [...new Set(hashes)].filter((hash) => hash !== null)
  const unused = await Promise.all(candidates.map(async (hash) => ((await byChunk.count(hash)) === 0 ? hash : undefined)))
  await deleteChunks(tx, unused.filter((hash) => hash !== undefined), count)
}

/** Deletes chunks (record and body) whether or not a checkpoint uses them. */
export async function deleteChunks(tx: WriteTx, hashes: readonly string[], count: CountBytes): Promise<void> {
  const chunks = tx.objectStore('chunks')
  const data = tx.objectStore('chunkData')
  await Promise.all(
    hashes.map(async (hash) => {
      const chunk = await chunks.get(hash)
      if (!chunk) return
      await chunks.delete(hash)
      await data.delete(hash)
      count('chunks', -sizeOf(chunk))
      count('chunkData', -chunk.gzipLength)
    }),
  )
}

/**
 * Deletes the least recently used checkpoint of any process, except `keep`, with the chunks only
 * it used.
 *
 * @returns which one, or undefined when there is none left to delete
 */
export async function evictLeastRecentlyUsed(db: HoloscopeDB, keep: CheckpointKey | undefined): Promise<CheckpointKey | undefined> {
  return writeTransaction(db, [...checkpointStores], async (tx, count) => {
    for (let cursor = await tx.objectStore('checkpoints').index('by-used').openCursor(); cursor; cursor = await cursor.continue()) {
      const { processId, nonce } = cursor.value
      if (keep && keep.processId === processId && keep.nonce === nonce) continue
      await deleteCheckpointRecords(tx, [cursor.value], count)
      return { processId, nonce }
    }
    return undefined
  })
}
