/**
 * The SHA-256 (hex) of a memory's first `length` bytes, and whether every byte past them is
 * zero: how two memories of different byte lengths are compared.
 */
export type MemoryDigest = { length: number; sha256: string; zeroTail: boolean }
