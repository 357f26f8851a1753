/**
 * An estimate of the bytes a structured value takes on disk: bytes as they are, strings by
 * length, 8 per number, plus keys. The same value always gives the same estimate, so what a
 * write adds a delete of the same record takes away.
 */
export function sizeOf(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1
  if (typeof value === 'number' || typeof value === 'bigint') return 8
  if (typeof value === 'string') return value.length
  if (ArrayBuffer.isView(value)) return value.byteLength
  if (value instanceof ArrayBuffer) return value.byteLength
  if (Array.isArray(value)) {
    let total = 1
    for (const item of value) total += sizeOf(item)
    return total
  }
  if (typeof value === 'object') {
    let total = 1
    for (const [key, item] of Object.entries(value)) total += key.length + sizeOf(item)
    return total
  }
  return 1
}
