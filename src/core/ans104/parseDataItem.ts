import { sha256 } from '@noble/hashes/sha2.js'
import { toBase64Url } from '../encoding/base64url.ts'
import { decodeAvroTags } from './avroTags.ts'
import { DataItemFormatError } from './dataItemFormatError.ts'
import type { ParsedDataItem } from './types.ts'

/** Signature and owner lengths by ANS-104 signature type. */
export const signatureTypes: Readonly<Record<number, { name: string; signatureLength: number; ownerLength: number }>> = {
  1: { name: 'arweave', signatureLength: 512, ownerLength: 512 },
  2: { name: 'ed25519', signatureLength: 64, ownerLength: 32 },
  3: { name: 'ethereum', signatureLength: 65, ownerLength: 65 },
  4: { name: 'solana', signatureLength: 64, ownerLength: 32 },
  5: { name: 'injectedAptos', signatureLength: 64, ownerLength: 32 },
  6: { name: 'multiAptos', signatureLength: 64 * 32 + 4, ownerLength: 32 * 32 + 1 },
  7: { name: 'typedEthereum', signatureLength: 65, ownerLength: 42 },
}

/** The most tag bytes a valid data item has (bundlers refuse more). */
export const maxTagBytes = 4096

/**
 * Reads an ANS-104 data item from its binary form: signature type (2 bytes LE), signature,
 * owner, target and anchor (a presence byte, then 32 bytes when 1), tag count and tag byte
 * length (8 bytes LE each), the Avro tags, then the data. Nothing is verified here but the
 * layout; see `verifyDataItem`.
 *
 * @throws DataItemFormatError naming the first thing that does not fit
 */
export function parseDataItem(bytes: Uint8Array): ParsedDataItem {
  if (bytes.length < 2) throw new DataItemFormatError(`a data item has at least 2 bytes, this has ${bytes.length}`)
  const signatureType = bytes[0]! | (bytes[1]! << 8)
  const config = signatureTypes[signatureType]
  if (!config) throw new DataItemFormatError(`signature type ${signatureType} is not an ANS-104 signature type`)
  let pos = 2
  const take = (length: number, what: string) => {
    if (pos + length > bytes.length) throw new DataItemFormatError(`the item ends inside its ${what} (byte ${bytes.length} of ${pos + length})`)
    const part = bytes.subarray(pos, pos + length)
    pos += length
    return part
  }
  const optional32 = (what: string) => {
    const present = take(1, `${what} flag`)[0]
    if (present === 0) return new Uint8Array(0)
    if (present === 1) return take(32, what)
    throw new DataItemFormatError(`the ${what} flag is ${present}, not 0 or 1`)
  }
  const u64 = (what: string) => {
    const part = take(8, what)
    let value = 0
    for (let i = 7; i >= 0; i--) value = value * 256 + part[i]!
    if (!Number.isSafeInteger(value)) throw new DataItemFormatError(`the ${what} is too large`)
    return value
  }
  const signature = take(config.signatureLength, 'signature')
  const owner = take(config.ownerLength, 'owner')
  const target = optional32('target')
  const anchor = optional32('anchor')
  const tagCount = u64('tag count')
  const tagBytes = u64('tag byte length')
  if (tagBytes > maxTagBytes) throw new DataItemFormatError(`the tags take ${tagBytes} bytes, more than the ${maxTagBytes} ANS-104 allows`)
  const rawTags = take(tagBytes, 'tags')
  const tags = decodeAvroTags(rawTags)
  if (tags.length !== tagCount) throw new DataItemFormatError(`the item says it has ${tagCount} tags, its tag bytes hold ${tags.length}`)
  return { id: toBase64Url(sha256(signature)), signatureType, signature, owner, target, anchor, tags, rawTags, data: bytes.subarray(pos) }
}
