import { addressFrom } from './addressFrom.ts'
import { MissingAssignedMessageError } from './MissingAssignedMessageError.ts'
import { tagValue } from './tagValue.ts'
import type { AoMessage, Owner, SuNode, Tag } from './types.ts'

/**
 * A message that exists on Arweave and was assigned to the process (an SU edge with
 * `message: null`), as the gateway returns it: the CU loads it and maps it like a message.
 */
export type AssignedMessage = {
  id: string
  signature: string | null
  owner: Owner
  tags: Tag[]
  anchor: string | null
  recipient: string
  data: string | null
}

/**
 * Builds the message a CU hands to the module for one SU log edge, field by field as the CU
 * builds it: Owner as address (EIP-55 for Ethereum keys), From / Forwarded-By from a
 * `From-Process` tag, Target from the assignment, Epoch / Nonce / Timestamp / Block-Height as
 * numbers, tags named `From` or `Owner` dropped, `Cron` and `Read-Only` false — and its keys
 * in the CU's order, which the module sees (aos iterates the message table).
 *
 * @param node the SU edge
 * @param assigned for an edge without a message, the assigned message loaded from the gateway
 * @throws MissingAssignedMessageError when the edge has no message and `assigned` is missing
 */
export function toAoMessage(node: SuNode, assigned?: AssignedMessage): AoMessage {
  const a = node.assignment.tags
  const message = node.message
  const scheduled = {
    Epoch: toNumber(tagValue(a, 'Epoch')),
    Nonce: toNumber(tagValue(a, 'Nonce')),
    Timestamp: toNumber(tagValue(a, 'Timestamp')) ?? 0,
    'Block-Height': toNumber(tagValue(a, 'Block-Height')) ?? 0,
    'Hash-Chain': tagValue(a, 'Hash-Chain'),
  }
  const source = message ?? assigned
  if (!source) throw new MissingAssignedMessageError(node.assignment.id, tagValue(a, 'Message'))
  const owner = addressFrom(source.owner)
  return buildAoMessage({
    Id: source.id,
    Signature: source.signature,
    Data: source.data,
    Owner: owner,
    // A scheduled message is addressed to the process and may be forwarded; the CU maps an
    // assigned one with its own recipient as Target and no Forwarded-By.
    Target: message ? tagValue(a, 'Process') : assigned!.recipient,
    Anchor: source.anchor,
    From: fromOf(source.tags, owner),
    'Forwarded-By': message ? forwardedBy(message.tags, owner) : undefined,
    Tags: source.tags,
    ...scheduled,
    Cron: false,
  })
}

/** The fields of an `AoMessage`, in any order, `undefined` allowed where the CU allows it. */
export type AoMessageFields = {
  Id?: string | undefined
  Signature?: string | null | undefined
  Data?: string | null | undefined
  Owner: string
  Target?: string | undefined
  Anchor?: string | null | undefined
  From: string
  'Forwarded-By'?: string | undefined
  Tags: Tag[]
  Epoch?: number | undefined
  Nonce?: number | undefined
  Timestamp: number
  'Block-Height': number
  'Hash-Chain'?: string | undefined
  Cron: boolean
  'Read-Only'?: boolean | undefined
}

const keyOrder = [
  'Id', 'Signature', 'Data', 'Owner', 'Target', 'Anchor', 'From', 'Forwarded-By', 'Tags',
  'Epoch', 'Nonce', 'Timestamp', 'Block-Height', 'Hash-Chain', 'Cron', 'Read-Only',
] as const

/**
 * Puts message fields in the CU's key order, leaves out `undefined` ones, removes tags named
 * `From` or `Owner` and defaults `Read-Only` to false, as the CU's message schema does.
 */
export function buildAoMessage(fields: AoMessageFields): AoMessage {
  const source: Record<string, unknown> = {
    ...fields,
    Tags: fields.Tags.filter((tag) => tag.name !== 'From' && tag.name !== 'Owner'),
    'Read-Only': fields['Read-Only'] ?? false,
  }
  const out: Record<string, unknown> = {}
  for (const key of keyOrder) {
    if (source[key] !== undefined) out[key] = source[key]
  }
  return out as AoMessage
}

/** `From`: the first non-empty `From-Process` tag, else the owner. */
export function fromOf(tags: readonly Tag[], owner: string): string {
  const fromProcess = tagValue(tags, 'From-Process')
  return fromProcess ? fromProcess : owner
}

function forwardedBy(tags: readonly Tag[], owner: string): string | undefined {
  return tags.some((tag) => tag.name === 'From-Process') ? owner : undefined
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = parseInt(value, 10)
  return Number.isNaN(n) ? undefined : n
}
