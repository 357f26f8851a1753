import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from '../core/encoding/base64url.ts'

/** The SHA-256 of a memory's first `length` bytes, and whether every byte past them is zero. */
export type MemoryDigest = { length: number; sha256: string; zeroTail: boolean }

/**
 * Digests linear memory as a CU checkpoint does (SHA-256 of the raw bytes, hex), over the
 * first `length` bytes (default: all). A heap's byte length depends on its growth history,
 * so two memories are compared at the shorter length, with the rest required to be zeros.
 */
export async function memoryDigest(memory: Uint8Array, length = memory.byteLength): Promise<MemoryDigest> {
  const head = memory.subarray(0, Math.min(length, memory.byteLength))
  return { length: head.byteLength, sha256: toHex(await sha256Of(head)), zeroTail: isZero(memory.subarray(head.byteLength)) }
}

/** Above this size memory is hashed in place (slower) rather than copied. */
const copyLimit = 64 << 20
const slice = 1 << 20

async function sha256Of(bytes: Uint8Array): Promise<Uint8Array> {
  // WebCrypto is several times faster, but copies what it reads: for an aos-size memory that is
  // a third copy alive at once, so large memories are hashed in place, a slice at a time.
  if (bytes.byteLength <= copyLimit) return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  const hash = sha256.create()
  for (let at = 0; at < bytes.byteLength; at += slice) hash.update(bytes.subarray(at, at + slice))
  return hash.digest()
}

function isZero(bytes: Uint8Array): boolean {
  const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2) : null
  if (words) {
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false
    for (let i = words.length * 4; i < bytes.byteLength; i++) if (bytes[i] !== 0) return false
    return true
  }
  for (let i = 0; i < bytes.byteLength; i++) if (bytes[i] !== 0) return false
  return true
}
