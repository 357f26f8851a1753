/**
 * How two linear memories compare. They are equal when their common prefix (the shorter
 * length, the length a checkpoint attests) is byte for byte the same and every byte of the
 * longer one past it is zero; a heap's byte length depends on its growth history, its
 * contents do not. Otherwise `offset` is the first byte that differs (in the longer one's
 * tail, the first non-zero byte), with each side's byte there (undefined past its end).
 */
export type MemoryComparison =
  | { equal: true; comparedLength: number; localLength: number; remoteLength: number }
  | { equal: false; offset: number; local: number | undefined; remote: number | undefined; localLength: number; remoteLength: number }

/** Compares a memory computed locally with one a unit reports (see `MemoryComparison`). */
export function compareMemory(local: Uint8Array, remote: Uint8Array): MemoryComparison {
  const common = Math.min(local.length, remote.length)
  const lengths = { localLength: local.length, remoteLength: remote.length }
  let offset = firstDifference(local.subarray(0, common), remote.subarray(0, common))
  if (offset === undefined) {
    const longer = local.length > remote.length ? local : remote
    const nonZero = firstNonZero(longer.subarray(common))
    if (nonZero === undefined) return { equal: true, comparedLength: common, ...lengths }
    offset = common + nonZero
  }
  return { equal: false, offset, local: local[offset], remote: remote[offset], ...lengths }
}

/** The first index where two equally long arrays differ, or undefined. */
function firstDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  let start = 0
  // Word at a time where both views allow it: memories run to hundreds of MB.
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >> 2
    const wa = new Uint32Array(a.buffer, a.byteOffset, words)
    const wb = new Uint32Array(b.buffer, b.byteOffset, words)
    let i = 0
    while (i < words && wa[i] === wb[i]) i++
    start = i * 4
  }
  for (let i = start; i < a.length; i++) if (a[i] !== b[i]) return i
  return undefined
}

function firstNonZero(bytes: Uint8Array): number | undefined {
  let start = 0
  if (bytes.byteOffset % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2)
    let i = 0
    while (i < words.length && words[i] === 0) i++
    start = i * 4
  }
  for (let i = start; i < bytes.length; i++) if (bytes[i] !== 0) return i
  return undefined
}
