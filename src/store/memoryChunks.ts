import { isAllZero } from '../core/encoding/isAllZero.ts'
import { sha256Hex } from '../core/encoding/sha256Hex.ts'
import { mapLimit } from './mapLimit.ts'

/** One chunk of a memory: a view into it, and the hex SHA-256 of its bytes (null: all zeros). */
export type MemoryChunk = { hash: string | null; bytes: Uint8Array }

/** A memory cut into chunks, with the SHA-256 of the whole (hex, as a CU checkpoint has it). */
export type MemoryChunks = { sha256: string; chunkSize: number; chunks: MemoryChunk[] }

/**
 * Cuts `memory` into `chunkSize`-byte chunks (the last may be shorter) and hashes each one and
 * the whole. The chunks are views into `memory`: it must not change until they are stored.
 */
export async function chunkMemory(memory: Uint8Array, chunkSize: number): Promise<MemoryChunks> {
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new RangeError(`chunkSize must be a positive integer, not ${chunkSize}`)
  const views = Array.from({ length: Math.ceil(memory.byteLength / chunkSize) }, (_, i) => memory.subarray(i * chunkSize, (i + 1) * chunkSize))
  const [sha256, chunks] = await Promise.all([
    sha256Hex(memory),
    mapLimit(views, 4, async (bytes): Promise<MemoryChunk> => ({ hash: isAllZero(bytes) ? null : await sha256Hex(bytes), bytes })),
  ])
  return { sha256, chunkSize, chunks }
}
