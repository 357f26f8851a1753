import { toHex } from '../core/encoding/base64url.ts'
import { mapLimit } from './mapLimit.ts'

/** One chunk of a memory: a view into it, and the hex SHA-256 of its bytes (null: all zeros). */
export type MemoryChunk = { hash: string | null; bytes: Uint8Array }

/** A memory cut into chunks, with the SHA-256 of the whole (hex, as a CU checkpoint has it). */
export type MemoryChunks = { sha256: string; chunkSize: number; chunks: MemoryChunk[] }

/** SHA-256 of `bytes`, hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // digest copies what it reads, so a view into a large memory is fine.
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)))
}

/**
 * Cuts `memory` into `chunkSize`-byte chunks (the last may be shorter) and hashes each one and
 * the whole. The chunks are views into `memory`: it must not change until they are stored.
 */
export async function chunkMemory(memory: Uint8Array, chunkSize: number): Promise<MemoryChunks> {
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new RangeError(`chunkSize must be a positive integer, not ${chunkSize}`)
  const views = Array.from({ length: Math.ceil(memory.byteLength / chunkSize) }, (_, i) => memory.subarray(i * chunkSize, (i + 1) * chunkSize))
  const [sha256, chunks] = await Promise.all([
    sha256Hex(memory),
    mapLimit(views, 4, async (bytes): Promise<MemoryChunk> => ({ hash: allZero(bytes) ? null : await sha256Hex(bytes), bytes })),
  ])
  return { sha256, chunkSize, chunks }
}

/** Whether every byte is zero (a fresh heap is mostly zeros). */
export function allZero(bytes: Uint8Array): boolean {
  // Bytes up to a 4-byte boundary, then words, then the bytes after the last word.
  const head = Math.min(bytes.byteLength, (4 - (bytes.byteOffset % 4)) % 4)
  for (let i = 0; i < head; i++) if (bytes[i] !== 0) return false
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + head, (bytes.byteLength - head) >> 2)
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false
  for (let i = head + words.length * 4; i < bytes.byteLength; i++) if (bytes[i] !== 0) return false
  return true
}
