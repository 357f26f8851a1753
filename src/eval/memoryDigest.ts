import type { MemoryDigest } from '../core/evaluator/memoryDigest.ts'
import { isAllZero } from '../core/encoding/isAllZero.ts'
import { sha256Hex } from '../core/encoding/sha256Hex.ts'


/**
 * Digests linear memory as a CU checkpoint does (SHA-256 of the raw bytes, hex), over the
 * first `length` bytes (default: all). A heap's byte length depends on its growth history,
 * so two memories are compared at the shorter length, with the rest required to be zeros.
 */
export async function memoryDigest(memory: Uint8Array, length = memory.byteLength): Promise<MemoryDigest> {
  const head = memory.subarray(0, Math.min(length, memory.byteLength))
  return { length: head.byteLength, sha256: await sha256Hex(head), zeroTail: isAllZero(memory.subarray(head.byteLength)) }
}
