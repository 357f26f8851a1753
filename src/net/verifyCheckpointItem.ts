import { sha256 } from '@noble/hashes/sha2.js'
import { DataItemFormatError } from '../core/ans104/dataItemFormatError.ts'
import { ownerAddress } from '../core/ans104/ownerAddress.ts'
import type { DataItemFields } from '../core/ans104/types.ts'
import { verifyDataItem } from '../core/ans104/verifyDataItem.ts'
import type { CheckpointClaim } from '../core/checkpoint/checkpointClaim.ts'
import { rebuildCheckpointItem, sameTags, wholeCheckpointItem, type ListedItemFields } from '../core/checkpoint/rebuildCheckpointItem.ts'
import { toBase64Url } from '../core/encoding/base64url.ts'
import type { Tag } from '../core/message/types.ts'
import { CheckpointBodyError } from './checkpointBodyError.ts'
import { ProtocolError } from './errors.ts'
import { fetchData, fetchTransactionMeta } from './gateway.ts'
import { isGzip } from '../core/encoding/gzip.ts'
import { unitUrl } from './unitUrl.ts'

/** The outcome of checking a checkpoint's data item. A bad signature is a result, not an error. */
export type CheckpointItemCheck = {
  id: string
  /** The signature verifies, the id is its SHA-256, and the claim's owner and tags are the signed ones. */
  valid: boolean
  /** What failed, for a person; empty when valid. */
  problems: string[]
  /** The address of the key that signed it. */
  owner: string
  /** The tags as signed. */
  tags: Tag[]
  /**
   * `data-item`: the gateway served the whole signed item; `graphql-and-data`: it served the
   * data (as gateways do at `/raw/{id}`), and the item was rebuilt around it from the
   * signature, owner, target, anchor and tags the gateway's GraphQL lists.
   */
  source: 'data-item' | 'graphql-and-data'
  /** The RSA-PSS salt length the signature verified with. */
  saltLength: number | undefined
  /** The item's data (the checkpoint body), for `checkpointMemorySha`. */
  body: Uint8Array
}

/**
 * Checks that a checkpoint is signed by the key it names: downloads `/raw/{id}`; when that
 * is the whole ANS-104 item (its signature hashes to the id) checks it as is, otherwise takes
 * it as the item's data and rebuilds the signed fields around it from GraphQL (the claim's own
 * fields, or fetched when it lacks them); then verifies the RSA-PSS signature over the deep
 * hash with WebCrypto.
 *
 * @throws NotFoundError, NetworkError, HttpError, ProtocolError (could not check);
 *   UnsupportedSignatureError for a signer that is not an Arweave (RSA) key;
 *   CheckpointBodyError when the gateway served a gzip body decoded (not the signed bytes)
 */
export async function verifyCheckpointItem(gateway: string, claim: CheckpointClaim, options: { signal?: AbortSignal | undefined } = {}): Promise<CheckpointItemCheck> {
  const raw = await fetchData(gateway, claim.id, options.signal)
  const { item, source, problems } = await signedItem(gateway, claim, raw, options.signal)
  const id = toBase64Url(sha256(item.signature))
  if (id !== claim.id) problems.push(`its signature hashes to ${id}, not to its id`)
  const check = await verifyDataItem(item, crypto.subtle)
  if (!check.valid && source === 'graphql-and-data' && claim.encoding === 'gzip' && !isGzip(raw)) {
    // An HTTP layer that honoured the item's Content-Encoding tag decoded what was signed.
    throw new CheckpointBodyError(gateway, claim, 'the gateway served its body decoded (it has no gzip header), not the bytes that were signed. Use a gateway that serves raw data at /raw/{id}')
  }
  if (!check.valid) problems.push("the signature does not verify over the item's owner, target, anchor, tags and data")
  const owner = ownerAddress(item.owner)
  if (owner !== claim.owner) problems.push(`it is signed by ${owner}, not by ${claim.owner} as listed`)
  return { id: claim.id, valid: problems.length === 0, problems, owner, tags: item.tags, source, saltLength: check.valid ? check.saltLength : undefined, body: item.data }
}

/**
 * The signed item `raw` is (the whole item), or the one rebuilt around it as its data from the
 * claim's GraphQL fields (fetched when the claim lacks them); with what already fails.
 */
async function signedItem(
  gateway: string,
  claim: CheckpointClaim,
  raw: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<{ item: DataItemFields; source: CheckpointItemCheck['source']; problems: string[] }> {
  const whole = wholeCheckpointItem(raw, claim.id)
  if (whole) return { item: whole, source: 'data-item', problems: sameTags(whole.tags, claim.tags) ? [] : ['the tags the gateway lists are not the signed tags'] }
  const listed: ListedItemFields =
    claim.signature !== undefined && claim.ownerKey !== undefined
      ? { signature: claim.signature, key: claim.ownerKey, anchor: claim.anchor ?? '', recipient: claim.recipient ?? '', tags: claim.tags }
      : await fetchTransactionMeta(gateway, claim.id, signal).then((m) => ({ signature: m.signature ?? '', key: m.owner.key, anchor: m.anchor ?? '', recipient: m.recipient, tags: m.tags }))
  try {
    return { item: rebuildCheckpointItem(listed, raw, claim.id), source: 'graphql-and-data', problems: [] }
  } catch (error) {
    if (error instanceof DataItemFormatError) throw new ProtocolError('gateway', unitUrl('gateway', gateway, 'graphql'), error.message, { cause: error })
    throw error
  }
}
