import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from './base64url.ts'

/** Above this size bytes are hashed in place (slower) rather than copied by WebCrypto. */
const copyLimit = 64 << 20
const slice = 1 << 20

/**
 * The SHA-256 of `bytes`, lowercase hex (as CU checkpoints and receipts write it). WebCrypto is
 * several times faster but copies what it reads: for an aos-size memory that is one more copy
 * alive at once, so larger inputs are hashed in place, a slice at a time.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  if (bytes.byteLength <= copyLimit) return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)))
  const hash = sha256.create()
  for (let at = 0; at < bytes.byteLength; at += slice) hash.update(bytes.subarray(at, at + slice))
  return toHex(hash.digest())
}
