import { encodeAvroTags } from '../ans104/avroTags.ts'
import { DataItemFormatError } from '../ans104/dataItemFormatError.ts'
import { parseDataItem, signatureTypes } from '../ans104/parseDataItem.ts'
import type { DataItemFields, ParsedDataItem } from '../ans104/types.ts'
import { fromBase64Url } from '../encoding/base64url.ts'
import type { Tag } from '../message/types.ts'

/** The signed fields of a data item as a gateway's GraphQL lists them (base64url text; empty when absent). */
export type ListedItemFields = { signature: string; key: string; anchor: string; recipient: string; tags: Tag[] }

/**
 * The signed fields of data item `id` from its GraphQL listing and its data (what gateways serve
 * at `/raw/{id}`), for checking its signature without the whole item.
 *
 * @throws DataItemFormatError when the signature, owner key or recipient is not base64url, or no
 *   ANS-104 signature type has an owner key and a signature of their lengths
 */
export function rebuildCheckpointItem(listed: ListedItemFields, data: Uint8Array, id: string): DataItemFields {
  const bytes = (what: string, text: string) => {
    try {
      return fromBase64Url(text)
    } catch {
      throw new DataItemFormatError(`the ${what} of ${id} is not base64url`)
    }
  }
  const signature = bytes('signature', listed.signature)
  const owner = bytes('owner key', listed.key)
  const type = Object.entries(signatureTypes).find(([, c]) => c.ownerLength === owner.length && c.signatureLength === signature.length)
  if (!type) throw new DataItemFormatError(`${id} has an owner key of ${owner.length} bytes and a signature of ${signature.length}: no ANS-104 signature type has those`)
  const target = listed.recipient ? bytes('recipient', listed.recipient) : new Uint8Array(0)
  return { signatureType: Number(type[0]), signature, owner, target, anchor: anchorBytes(listed.anchor), tags: listed.tags, rawTags: encodeAvroTags(listed.tags), data }
}

/** `raw` read as the whole signed data item `id`, or undefined when the bytes are something else (its data, another item). */
export function wholeCheckpointItem(raw: Uint8Array, id: string): ParsedDataItem | undefined {
  try {
    const parsed = parseDataItem(raw)
    return parsed.id === id ? parsed : undefined
  } catch (error) {
    if (error instanceof DataItemFormatError) return undefined
    throw error
  }
}

/** Whether two tag lists are the same names and values in the same order. */
export function sameTags(a: readonly Tag[], b: readonly Tag[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag.name === b[i]!.name && tag.value === b[i]!.value)
}

/**
 * An anchor as signed (32 bytes) from its GraphQL text: gateways give the bytes as base64url;
 * some give AO's text anchors as the text itself.
 */
function anchorBytes(text: string): Uint8Array {
  if (!text) return new Uint8Array(0)
  try {
    const decoded = fromBase64Url(text)
    if (decoded.length === 32) return decoded
  } catch {
    // not base64url: the text itself
  }
  return new TextEncoder().encode(text)
}
