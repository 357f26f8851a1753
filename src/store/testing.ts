import type { CheckpointPoint } from '../core/checkpoint/types.ts'
import { openStore, type Store, type StoreOptions } from './openStore.ts'

let databases = 0

/** A store in a database of its own (tests import `fake-indexeddb/auto` first). */
export function openTestStore(options: StoreOptions = {}): Promise<Store> {
  return openStore({ name: `test-${process.pid}-${++databases}`, storage: {}, ...options })
}

/** Bytes that do not compress, the same for the same seed (xorshift32). */
export function noise(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bytes[i] = x & 0xff
  }
  return bytes
}

/** A checkpoint point of `processId` at `nonce`, its other fields made up from the nonce. */
export function pointAt(processId: string, nonce: number): CheckpointPoint {
  return { processId, moduleId: 'module-1', nonce, timestamp: 1_700_000_000_000 + nonce, blockHeight: 1000 + nonce, hashChain: `chain-${nonce}` }
}

export const MiB = 1 << 20

/** A copy of `bytes` with the byte at `index` XORed with `mask`. */
export function flipped(bytes: Uint8Array, index: number, mask = 0xff): Uint8Array {
  const copy = bytes.slice()
  copy[index] = copy[index]! ^ mask
  return copy
}
