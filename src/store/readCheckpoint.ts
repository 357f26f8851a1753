import type { CheckpointKey } from '../core/checkpoint/types.ts'
import { gunzip } from '../core/encoding/gzip.ts'
import { mapLimit } from './mapLimit.ts'
import { sha256Hex } from '../core/encoding/sha256Hex.ts'
import type { CheckpointRecord, HoloscopeDB } from './schema.ts'

/** A checkpoint's memory, or why it cannot be trusted and which chunks are bad. */
export type ReadMemory = { memory: Uint8Array } | { problem: string; badChunks: string[] }

/** A checkpoint record and its chunks' gzip bodies, read in one transaction. */
export async function readCheckpoint(db: HoloscopeDB, key: CheckpointKey): Promise<{ record: CheckpointRecord; bodies: Map<string, Uint8Array> } | undefined> {
  const tx = db.transaction(['checkpoints', 'chunkData'])
  const record = await tx.objectStore('checkpoints').get([key.processId, key.nonce])
  if (!record) return undefined
  const data = tx.objectStore('chunkData')
  const hashes = [...new Set(record.chunks)].filter((hash) => hash !== null)
  const bodies = new Map<string, Uint8Array>()
  await Promise.all(
    hashes.map(async (hash) => {
      const body = await data.get(hash)
      if (body) bodies.set(hash, body)
    }),
  )
  return { record, bodies }
}

/**
 * Puts a checkpoint's memory back together from its chunks and checks it: every chunk present,
 * decompressing to its length and to the SHA-256 it is stored under. All-zero chunks are not
 * stored, so only the rest is hashed; together the chunks are the memory whose SHA-256 was
 * recorded when it was stored.
 */
export async function assembleMemory(record: CheckpointRecord, bodies: Map<string, Uint8Array>): Promise<ReadMemory> {
  const memory = new Uint8Array(record.memoryLength)
  const problems: Array<{ index: number; text: string }> = []
  const bad = new Set<string>()
  const count = record.chunks.length
  const span = (index: number) => memory.subarray(index * record.chunkSize, Math.min(record.memoryLength, (index + 1) * record.chunkSize))
  await mapLimit(record.chunks, 4, async (hash, index) => {
    if (hash === null) return
    const body = bodies.get(hash)
    const raw = body && (await gunzip(body).catch(() => undefined))
    const target = span(index)
    const problem = !body
      ? 'is missing'
      : !raw
        ? 'does not decompress'
        : raw.byteLength !== target.byteLength
          ? `has ${raw.byteLength} bytes, not ${target.byteLength}`
          : (await sha256Hex(raw)) !== hash
            ? 'does not match its SHA-256'
            : undefined
    if (problem) {
      problems.push({ index, text: `chunk ${index + 1} of ${count} ${problem}` })
      bad.add(hash)
    } else target.set(raw!)
  })
  if (problems.length === 0) return { memory }
  problems.sort((a, b) => a.index - b.index)
  const more = problems.length > 1 ? `, and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}` : ''
  return { problem: `${problems[0]!.text}${more}`, badChunks: [...bad] }
}
