import type { Checkpoint, CheckpointPoint } from '../core/checkpoint/types.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import { checkpointStores, deleteUnusedChunks } from './deleteCheckpointRecords.ts'
import { gzip } from '../core/encoding/gzip.ts'
import { mapLimit } from './mapLimit.ts'
import { chunkMemory, type MemoryChunks } from './memoryChunks.ts'
import type { ChunkRecord, CheckpointRecord, HoloscopeDB } from './schema.ts'
import { sizeOf } from './sizeOf.ts'
import { writeTransaction, type CountBytes, type WriteTx } from './writeTransaction.ts'

/** A checkpoint hashed and cut into chunks, ready to store (and to store again after an eviction). */
export type PreparedCheckpoint = {
  checkpoint: Checkpoint
  globals: Array<number | bigint> | undefined
  memory: MemoryChunks
  /** Gzip bodies compressed so far, by chunk hash. */
  bodies: Map<string, Uint8Array>
}

/**
 * Hashes a snapshot's memory (whole and by chunk) into the checkpoint to store. The snapshot's
 * memory must not change until it is stored.
 */
export async function prepareCheckpoint(point: CheckpointPoint, snapshot: Snapshot, chunkSize: number): Promise<PreparedCheckpoint> {
  const memory = await chunkMemory(snapshot.memory, chunkSize)
  const checkpoint: Checkpoint = { ...point, format: snapshot.format, sha256: memory.sha256, memoryLength: snapshot.memory.byteLength }
  return { checkpoint, globals: snapshot.globals?.slice(), memory, bodies: new Map() }
}

/** A chunk seen as stored was deleted before the write (an eviction meanwhile): read again and retry. */
class ChunkVanished extends Error {
  constructor() {
    super('chunks of the checkpoint were deleted while it was being stored, three times over')
  }
}

/**
 * Stores a prepared checkpoint: its record, and the gzip body of each non-zero chunk not stored
 * yet (identical chunks are stored once, whichever checkpoints they belong to). Replaces a
 * checkpoint at the same nonce. Compresses outside the transaction, then writes in one.
 *
 * @throws a QuotaExceededError when the disk (or `maxBytes`) is full; other IndexedDB errors
 */
export async function storeCheckpoint(db: HoloscopeDB, prepared: PreparedCheckpoint, usedAt: number, maxBytes: number | undefined): Promise<void> {
  const byHash = new Map<string, Uint8Array>()
  for (const chunk of prepared.memory.chunks) if (chunk.hash !== null) byHash.set(chunk.hash, chunk.bytes)
  for (let attempt = 1; ; attempt++) {
    const known = db.transaction('chunks').store
    const stored = new Set(await Promise.all([...byHash.keys()].map(async (hash) => known.getKey(hash))))
    const missing = [...byHash].filter(([hash]) => !stored.has(hash) && !prepared.bodies.has(hash))
    await mapLimit(missing, 4, async ([hash, bytes]) => void prepared.bodies.set(hash, await gzip(bytes)))
    try {
      await writeTransaction(db, [...checkpointStores], async (tx, count) => writeRecords(tx, prepared, byHash, usedAt, count), maxBytes)
      return
    } catch (error) {
      if (!(error instanceof ChunkVanished) || attempt >= 3) throw error
    }
  }
}

async function writeRecords(tx: WriteTx, prepared: PreparedCheckpoint, byHash: Map<string, Uint8Array>, usedAt: number, count: CountBytes): Promise<void> {
  const { checkpoint, globals, memory } = prepared
  const checkpoints = tx.objectStore('checkpoints')
  const chunks = tx.objectStore('chunks')
  const data = tx.objectStore('chunkData')
  const previous = await checkpoints.get([checkpoint.processId, checkpoint.nonce])
  const gzipLength = new Map<string, number>()
  let addedBytes = 0
  await Promise.all(
    [...byHash].map(async ([hash, bytes]) => {
      const known = await chunks.get(hash)
      if (known) return void gzipLength.set(hash, known.gzipLength)
      const body = prepared.bodies.get(hash)
      if (!body) throw new ChunkVanished()
      const record: ChunkRecord = { hash, rawLength: bytes.byteLength, gzipLength: body.byteLength }
      await chunks.put(record)
      await data.put(body, hash)
      gzipLength.set(hash, body.byteLength)
      addedBytes += body.byteLength + sizeOf(record)
      count('chunks', sizeOf(record))
      count('chunkData', body.byteLength)
    }),
  )
  const record: CheckpointRecord = {
    ...checkpoint,
    ...(globals === undefined ? {} : { globals }),
    chunkSize: memory.chunkSize,
    chunks: memory.chunks.map((chunk) => chunk.hash),
    chunkBytes: memory.chunks.map((chunk) => (chunk.hash === null ? 0 : gzipLength.get(chunk.hash)!)),
    addedBytes,
    usedAt,
  }
  await checkpoints.put(record)
  count('checkpoints', sizeOf(record))
  if (previous) {
    // After the put, so the chunks the new record shares with the one it replaces are still used.
    count('checkpoints', -sizeOf(previous))
    await deleteUnusedChunks(tx, previous.chunks, count)
  }
}
