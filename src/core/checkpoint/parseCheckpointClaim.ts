import { ownerAddress } from '../ans104/ownerAddress.ts'
import { fromBase64Url } from '../encoding/base64url.ts'
import { isArweaveId } from '../message/processId.ts'
import { tagValue } from '../message/tagValue.ts'
import type { Tag } from '../message/types.ts'
import type { CheckpointClaim, SkippedCheckpoint } from './checkpointClaim.ts'

/**
 * A checkpoint's node as a gateway's GraphQL lists it (`id signature anchor recipient
 * owner{address key} tags{name value} data{size} block{height timestamp}`), unchecked but for
 * its tag list, whose shape the reader of the JSON checks: the list, or what is wrong with it.
 */
export type CheckpointNode = {
  id?: unknown
  owner?: unknown
  tags: Tag[] | { problem: string }
  signature?: unknown
  anchor?: unknown
  recipient?: unknown
  data?: unknown
  block?: unknown
}

/**
 * Reads a checkpoint claim of process `processId` from its GraphQL node. A node that cannot be
 * a claim (its id or a tag missing or malformed, an owner address that does not match its key,
 * another process, a body encoding a CU cannot load) is not an error: it is returned as skipped,
 * with the reason for a person.
 */
export function parseCheckpointClaim(node: CheckpointNode, processId: string): CheckpointClaim | SkippedCheckpoint {
  const id = typeof node.id === 'string' ? node.id : String(node.id)
  const given = node.owner as { address?: unknown; key?: unknown } | null | undefined
  const listedAddress = typeof given?.address === 'string' ? given.address : undefined
  const skip = (reason: string): SkippedCheckpoint => ({ id, owner: listedAddress, reason })
  if (!isArweaveId(id)) return skip('its id is not a transaction id')
  if (!Array.isArray(node.tags)) return skip(node.tags.problem)
  const signer = signerOf(given?.key, listedAddress)
  if ('problem' in signer) return skip(signer.problem)
  const claimed = claimedFields(node.tags, processId)
  if (typeof claimed === 'string') return skip(claimed)
  return { id, ...signer, processId, ...claimed, tags: node.tags, ...listing(node) }
}

/** The signer's address (from its key when listed, which must hash to the listed address) and key. */
function signerOf(key: unknown, listedAddress: string | undefined): { owner: string; ownerKey: string | undefined } | { problem: string } {
  let owner = listedAddress
  let ownerKey: string | undefined
  if (typeof key === 'string' && key) {
    try {
      owner = ownerAddress(fromBase64Url(key))
      ownerKey = key
    } catch {
      return { problem: 'its owner key is not base64url' }
    }
    if (listedAddress !== undefined && listedAddress !== owner) return { problem: `the gateway lists owner ${listedAddress}, but its key hashes to ${owner}` }
  }
  if (!owner) return { problem: 'the gateway lists no owner' }
  return { owner, ownerKey }
}

type ClaimedFields = Pick<
  CheckpointClaim,
  'moduleId' | 'nonce' | 'ordinate' | 'timestamp' | 'blockHeight' | 'sha256' | 'encoding' | 'hashChain' | 'assignmentId' | 'epoch' | 'cronInterval' | 'unitIdentifier'
>

/** What the checkpoint's tags claim, or why they are not a claim about `processId`. */
function claimedFields(tags: readonly Tag[], processId: string): ClaimedFields | string {
  const tag = (name: string) => tagValue(tags, name)
  if (tag('Type') !== 'Checkpoint' || tag('Data-Protocol') !== 'ao') return 'it is not tagged Type: Checkpoint and Data-Protocol: ao'
  if (tag('Process') !== processId) return `it is tagged Process ${JSON.stringify(tag('Process') ?? null)}, not ${processId}`
  const moduleId = tag('Module')
  if (!moduleId) return 'it has no Module tag'
  const nonce = integer('Nonce', tag('Nonce'))
  if (typeof nonce === 'string') return nonce
  const timestamp = integer('Timestamp', tag('Timestamp'))
  if (typeof timestamp === 'string') return timestamp
  const blockHeight = integer('Block-Height', tag('Block-Height'))
  if (typeof blockHeight === 'string') return blockHeight
  const sha = tag('SHA-256')
  if (sha === undefined || !/^[0-9a-fA-F]{64}$/.test(sha)) return `its SHA-256 tag is ${sha === undefined ? 'missing' : `${JSON.stringify(sha)}, not 64 hex digits`}`
  const encodingTag = tag('Content-Encoding')
  if (encodingTag !== undefined && encodingTag !== 'gzip') return `its Content-Encoding is ${JSON.stringify(encodingTag)}; a CU loads only gzip`
  const epochTag = tag('Epoch')
  const epoch = epochTag === undefined ? undefined : integer('Epoch', epochTag)
  if (typeof epoch === 'string') return epoch
  return {
    moduleId,
    nonce,
    ordinate: tag('Ordinate') ?? String(nonce),
    timestamp,
    blockHeight,
    sha256: sha.toLowerCase(),
    encoding: encodingTag === 'gzip' ? 'gzip' : undefined,
    hashChain: tag('Hash-Chain'),
    assignmentId: tag('Assignment'),
    epoch,
    cronInterval: tag('Cron-Interval'),
    unitIdentifier: tag('Unit-Identifier'),
  }
}

/** A tag's whole number, or what is wrong with it (for the skip reason). */
function integer(name: string, value: string | undefined): number | string {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : `its ${name} tag is ${value === undefined ? 'missing' : `${JSON.stringify(value)}, not a whole number`}`
}

/** What the gateway lists beside the tags: the signed fields as text, the data size, the block. */
function listing(node: CheckpointNode): Pick<CheckpointClaim, 'signature' | 'anchor' | 'recipient' | 'dataSize' | 'block'> {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  const data = node.data as { size?: unknown } | null | undefined
  const block = node.block as { height?: unknown; timestamp?: unknown } | null | undefined
  const size = Number(data?.size)
  return {
    signature: text(node.signature),
    anchor: text(node.anchor),
    recipient: text(node.recipient),
    dataSize: Number.isSafeInteger(size) ? size : undefined,
    block: typeof block?.height === 'number' && typeof block.timestamp === 'number' ? { height: block.height, timestamp: block.timestamp } : undefined,
  }
}
