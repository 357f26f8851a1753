import { encodeUnsignedLeb128 } from '../encoding/leb128.ts'
import type { Tag } from '../message/types.ts'
import { DataItemFormatError } from './dataItemFormatError.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Encodes tags as ANS-104 does: an Avro array of `{ name: string, value: string }` records
 * written as one block (zig-zag varint count, the records, a 0 terminator); no tags encode as
 * no bytes at all. The same tags always give the same bytes, so a data item's signed tag bytes
 * can be rebuilt from its tags when its writer used this layout (arbundles does).
 */
export function encodeAvroTags(tags: readonly Tag[]): Uint8Array {
  if (tags.length === 0) return new Uint8Array(0)
  const parts: number[] = []
  // Zig-zag, then unsigned LEB128: counts and lengths may pass 2^31.
  const long = (n: number) => parts.push(...encodeUnsignedLeb128(n >= 0 ? n * 2 : -n * 2 - 1))
  const text = (s: string) => {
    const bytes = encoder.encode(s)
    long(bytes.length)
    for (const b of bytes) parts.push(b)
  }
  long(tags.length)
  for (const tag of tags) {
    text(tag.name)
    text(tag.value)
  }
  long(0)
  return Uint8Array.from(parts)
}

/**
 * Decodes Avro-encoded ANS-104 tags, in any block layout Avro allows (several blocks, negative
 * counts followed by a byte size). Strings that are not UTF-8 decode lossily, as arbundles does.
 *
 * @throws DataItemFormatError when the bytes end early or do not end where the array does
 */
export function decodeAvroTags(bytes: Uint8Array): Tag[] {
  if (bytes.length === 0) return []
  let pos = 0
  const long = (): number => {
    let value = 0
    let scale = 1
    for (;;) {
      if (pos >= bytes.length) throw new DataItemFormatError('the tags end in the middle of a number')
      const byte = bytes[pos++]!
      value += (byte & 0x7f) * scale
      if (!(byte & 0x80)) break
      scale *= 128
      if (scale > 2 ** 56) throw new DataItemFormatError('the tags hold a number too large to be a count or a length')
    }
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2
  }
  const text = (): string => {
    const length = long()
    if (length < 0 || pos + length > bytes.length) throw new DataItemFormatError('a tag string runs past the end of the tags')
    const s = decoder.decode(bytes.subarray(pos, pos + length))
    pos += length
    return s
  }
  const tags: Tag[] = []
  for (;;) {
    let count = long()
    if (count === 0) break
    if (count < 0) {
      count = -count
      long() // the block's size in bytes, not needed
    }
    for (let i = 0; i < count; i++) {
      const name = text()
      const value = text()
      tags.push({ name, value })
    }
  }
  if (pos !== bytes.length) throw new DataItemFormatError(`the tags end at byte ${pos} of ${bytes.length}`)
  return tags
}
