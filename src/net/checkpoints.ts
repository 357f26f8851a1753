import { sha256 } from '@noble/hashes/sha2.js'
import { encodeAvroTags } from '../core/ans104/avroTags.ts'
import { DataItemFormatError } from '../core/ans104/dataItemFormatError.ts'
import { ownerAddress } from '../core/ans104/ownerAddress.ts'
import { parseDataItem, signatureTypes } from '../core/ans104/parseDataItem.ts'
import type { DataItemFields } from '../core/ans104/types.ts'
import { verifyDataItem } from '../core/ans104/verifyDataItem.ts'
import { fromBase64Url, toBase64Url, toHex } from '../core/encoding/base64url.ts'
import { BaseError } from '../core/errors/BaseError.ts'
import { tagValue } from '../core/message/tagValue.ts'
import type { Tag } from '../core/message/types.ts'
import { ProtocolError } from './errors.ts'
import { fetchJson } from './fetchJson.ts'
import { fetchData, fetchTransactionMeta } from './gateway.ts'
import { tagsProblem } from './shapeProblems.ts'
import { unitUrl } from './unitUrl.ts'

/**
 * A CU's checkpoint as the gateway lists it: its signed claim "after message `nonce` (at
 * `timestamp`), process `processId` had memory whose SHA-256 is `sha256`". Nothing in it is
 * verified yet (see `verifyCheckpointItem`, `checkpointMemorySha`).
 */
export type CheckpointClaim = {
  id: string
  /** The signer's address: base64url(sha256(owner key)) when the gateway gives the key. */
  owner: string
  /** The signer's public key (base64url), when the gateway gives it. */
  ownerKey: string | undefined
  processId: string
  moduleId: string
  nonce: number
  ordinate: string
  timestamp: number
  blockHeight: number
  /** Lowercase hex SHA-256 of the raw (uncompressed) memory, as claimed. */
  sha256: string
  /** `gzip`, or undefined for an uncompressed body. */
  encoding: 'gzip' | undefined
  hashChain: string | undefined
  assignmentId: string | undefined
  epoch: number | undefined
  cronInterval: string | undefined
  unitIdentifier: string | undefined
  tags: Tag[]
  /** As the gateway gives them (base64url), for checking the signature without the raw item. */
  signature: string | undefined
  anchor: string | undefined
  recipient: string | undefined
  dataSize: number | undefined
  /** The block the gateway has it in; undefined while pending. */
  block: { height: number; timestamp: number } | undefined
}

/** A checkpoint the gateway lists that is not a usable claim, and why. */
export type SkippedCheckpoint = { id: string; owner: string | undefined; reason: string }

/** What `discoverCheckpoints` found. `truncated`: more pages were left unread (see `maxPages`). */
export type CheckpointDiscovery = { claims: CheckpointClaim[]; skipped: SkippedCheckpoint[]; pages: number; truncated: boolean }

export type DiscoverOptions = {
  signal?: AbortSignal | undefined
  /** Only checkpoints signed by these addresses (the CUs you ask about); none: every signer. */
  owners?: readonly string[] | undefined
  /** Results per GraphQL page (default 100, the most gateways give). */
  pageSize?: number | undefined
  /** Pages to read at most (default 50). */
  maxPages?: number | undefined
}

const fields = 'pageInfo{hasNextPage} edges{cursor node{id signature anchor recipient owner{address key} tags{name value} data{size} block{height timestamp}}}'

/**
 * Lists the checkpoints of a process on a gateway, as a CU finds them (GraphQL tags
 * `Process=P`, `Type=Checkpoint`, `Data-Protocol=ao`, optionally `owners`), page by page with
 * cursors. Each is read from its tags; one that cannot be a claim (a tag missing or malformed,
 * an owner address that does not match its key, another process) is skipped with the reason.
 *
 * @returns the claims sorted by nonce, then timestamp, then owner; the skipped ones
 * @throws NetworkError, HttpError, ProtocolError (not GraphQL, GraphQL errors)
 */
export async function discoverCheckpoints(gateway: string, processId: string, options: DiscoverOptions = {}): Promise<CheckpointDiscovery> {
  const { signal, owners, pageSize = 100, maxPages = 50 } = options
  if (owners && owners.length === 0) return { claims: [], skipped: [], pages: 0, truncated: false }
  const url = unitUrl('gateway', gateway, 'graphql')
  const query =
    `query($process:String!,$first:Int!,$after:String${owners ? ',$owners:[String!]' : ''}){transactions(` +
    `tags:[{name:"Process",values:[$process]},{name:"Type",values:["Checkpoint"]},{name:"Data-Protocol",values:["ao"]}],` +
    `${owners ? 'owners:$owners,' : ''}first:$first,after:$after,sort:HEIGHT_DESC){${fields}}}`
  const claims = new Map<string, CheckpointClaim>()
  const skipped = new Map<string, SkippedCheckpoint>()
  let after: string | null = null
  let pages = 0
  for (;;) {
    const variables: Record<string, unknown> = { process: processId, first: pageSize, after, ...(owners ? { owners } : {}) }
    const page = await graphqlPage(url, query, variables, signal)
    pages++
    for (const node of page.nodes) {
      const read = readClaim(node, processId)
      if ('reason' in read) {
        if (!claims.has(read.id)) skipped.set(read.id, read)
      } else claims.set(read.id, read)
    }
    const last = page.cursors.at(-1)
    if (!page.hasNextPage || last === undefined || last === after) return result(false)
    if (pages >= maxPages) return result(true)
    after = last
  }

  function result(truncated: boolean): CheckpointDiscovery {
    const sorted = [...claims.values()].sort((a, b) => a.nonce - b.nonce || a.timestamp - b.timestamp || (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0))
    return { claims: sorted, skipped: [...skipped.values()], pages, truncated }
  }
}

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
  const { signal } = options
  const raw = await fetchData(gateway, claim.id, signal)
  const asItem = wholeItem(raw, claim.id)
  const problems: string[] = []
  let item: DataItemFields
  let source: CheckpointItemCheck['source']
  if (asItem) {
    item = asItem
    source = 'data-item'
    if (!sameTags(asItem.tags, claim.tags)) problems.push('the tags the gateway lists are not the signed tags')
  } else {
    source = 'graphql-and-data'
    const meta =
      claim.signature !== undefined && claim.ownerKey !== undefined
        ? { signature: claim.signature, key: claim.ownerKey, anchor: claim.anchor ?? '', recipient: claim.recipient ?? '', tags: claim.tags }
        : await fetchTransactionMeta(gateway, claim.id, signal).then((m) => ({ signature: m.signature ?? '', key: m.owner.key, anchor: m.anchor ?? '', recipient: m.recipient, tags: m.tags }))
    item = rebuiltItem(meta, raw, unitUrl('gateway', gateway, 'graphql'), claim.id)
  }
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

/** A checkpoint body that cannot be read as the memory it should hold. */
export class CheckpointBodyError extends BaseError {
  override name = 'CheckpointBodyError'
  readonly id: string

  constructor(gateway: string, claim: CheckpointClaim, reason: string, options: { cause?: unknown } = {}) {
    super(`The body of checkpoint ${claim.id} (process ${claim.processId}, nonce ${claim.nonce}) on the gateway at ${gateway} cannot be read: ${reason}.`, options)
    this.id = claim.id
  }
}

/** The memory a checkpoint's body holds, and whether its SHA-256 is the one claimed. */
export type CheckpointMemory = {
  id: string
  nonce: number
  /** The SHA-256 the checkpoint's tag claims. */
  claimed: string
  /** The SHA-256 of the memory in its body (hex). */
  sha256: string
  matches: boolean
  length: number
  compressedLength: number
  /** The raw memory, for comparing with a local replay (`compareMemory`). */
  memory: Uint8Array
}

/**
 * Reads the memory in a checkpoint's body (`/raw/{id}`, gunzipped with DecompressionStream
 * when `Content-Encoding: gzip`) and hashes it: a CU can attest a SHA-256 that is not even the
 * hash of the memory it uploaded. A body tagged gzip that is not gzip data is taken as already
 * decoded on the way (an HTTP layer that honoured the tag).
 *
 * @param options.body the body already downloaded (`verifyCheckpointItem` returns it)
 * @returns the hash and `matches: false` for a wrong claim (a result, not an error)
 * @throws CheckpointBodyError for a gzip body that does not decompress; NotFoundError,
 *   NetworkError, HttpError
 */
export async function checkpointMemorySha(
  gateway: string,
  claim: CheckpointClaim,
  options: { signal?: AbortSignal | undefined; body?: Uint8Array | undefined } = {},
): Promise<CheckpointMemory> {
  const body = options.body ?? (await fetchData(gateway, claim.id, options.signal))
  let memory = body
  if (claim.encoding === 'gzip' && isGzip(body)) {
    try {
      memory = await gunzip(body)
    } catch (error) {
      options.signal?.throwIfAborted()
      throw new CheckpointBodyError(gateway, claim, `its gzip data is damaged (${error instanceof Error ? error.message : String(error)})`, { cause: error })
    }
  }
  const digest = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', memory as Uint8Array<ArrayBuffer>)))
  return { id: claim.id, nonce: claim.nonce, claimed: claim.sha256, sha256: digest, matches: digest === claim.sha256, length: memory.length, compressedLength: body.length, memory }
}

const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** The bytes as the whole signed item with this id, or undefined when they are something else. */
function wholeItem(raw: Uint8Array, id: string): DataItemFields | undefined {
  try {
    const parsed = parseDataItem(raw)
    return parsed.id === id ? parsed : undefined
  } catch (error) {
    if (error instanceof DataItemFormatError) return undefined
    throw error
  }
}

/** The signed fields of an item from its GraphQL listing and its data. */
function rebuiltItem(meta: { signature: string; key: string; anchor: string; recipient: string; tags: Tag[] }, data: Uint8Array, url: string, id: string): DataItemFields {
  const bytes = (what: string, text: string) => {
    try {
      return fromBase64Url(text)
    } catch {
      throw new ProtocolError('gateway', url, `the ${what} of ${id} is not base64url`)
    }
  }
  const signature = bytes('signature', meta.signature)
  const owner = bytes('owner key', meta.key)
  const type = Object.entries(signatureTypes).find(([, c]) => c.ownerLength === owner.length && c.signatureLength === signature.length)
  if (!type) throw new ProtocolError('gateway', url, `${id} has an owner key of ${owner.length} bytes and a signature of ${signature.length}: no ANS-104 signature type has those`)
  const target = meta.recipient ? bytes('recipient', meta.recipient) : new Uint8Array(0)
  return { signatureType: Number(type[0]), signature, owner, target, anchor: anchorBytes(meta.anchor), tags: meta.tags, rawTags: encodeAvroTags(meta.tags), data }
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

function sameTags(a: readonly Tag[], b: readonly Tag[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag.name === b[i]!.name && tag.value === b[i]!.value)
}

type Node = Record<string, unknown>

async function graphqlPage(url: string, query: string, variables: Record<string, unknown>, signal: AbortSignal | undefined): Promise<{ nodes: Node[]; cursors: string[]; hasNextPage: boolean }> {
  const body = await fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: signal ?? null }, 'gateway')
  const { data, errors } = (body ?? {}) as { data?: { transactions?: { edges?: unknown; pageInfo?: { hasNextPage?: unknown } } }; errors?: unknown }
  if (Array.isArray(errors) && errors.length) {
    throw new ProtocolError('gateway', url, `GraphQL errors: ${errors.map((e: { message?: unknown }) => String(e?.message ?? e)).join('; ')}`)
  }
  const edges = data?.transactions?.edges
  if (!Array.isArray(edges)) throw new ProtocolError('gateway', url, 'no data.transactions.edges list')
  const nodes: Node[] = []
  const cursors: string[] = []
  for (const [i, edge] of edges.entries()) {
    const { node, cursor } = (edge ?? {}) as { node?: unknown; cursor?: unknown }
    if (typeof node !== 'object' || node === null) throw new ProtocolError('gateway', url, `edge ${i} has no node`)
    nodes.push(node as Node)
    if (typeof cursor === 'string') cursors.push(cursor)
  }
  return { nodes, cursors, hasNextPage: data?.transactions?.pageInfo?.hasNextPage === true }
}

const idPattern = /^[A-Za-z0-9_-]{43}$/

/** A claim from a GraphQL node, or why it is not one. */
function readClaim(node: Node, processId: string): CheckpointClaim | SkippedCheckpoint {
  const id = typeof node['id'] === 'string' ? node['id'] : String(node['id'])
  const given = node['owner'] as { address?: unknown; key?: unknown } | null | undefined
  const listedAddress = typeof given?.address === 'string' ? given.address : undefined
  const skip = (reason: string): SkippedCheckpoint => ({ id, owner: listedAddress, reason })
  if (!idPattern.test(id)) return skip('its id is not a transaction id')
  const problem = tagsProblem(node['tags'], 'its tags')
  if (problem) return skip(problem)
  const tags = node['tags'] as Tag[]
  const tag = (name: string) => tagValue(tags, name)

  let owner = listedAddress
  let ownerKey: string | undefined
  if (typeof given?.key === 'string' && given.key) {
    try {
      owner = ownerAddress(fromBase64Url(given.key))
      ownerKey = given.key
    } catch {
      return skip('its owner key is not base64url')
    }
    if (listedAddress !== undefined && listedAddress !== owner) return skip(`the gateway lists owner ${listedAddress}, but its key hashes to ${owner}`)
  }
  if (!owner) return skip('the gateway lists no owner')

  if (tag('Type') !== 'Checkpoint' || tag('Data-Protocol') !== 'ao') return skip('it is not tagged Type: Checkpoint and Data-Protocol: ao')
  if (tag('Process') !== processId) return skip(`it is tagged Process ${JSON.stringify(tag('Process') ?? null)}, not ${processId}`)
  const moduleId = tag('Module')
  if (!moduleId) return skip('it has no Module tag')
  const integer = (name: string, value: string | undefined) => (value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : `its ${name} tag is ${value === undefined ? 'missing' : `${JSON.stringify(value)}, not a whole number`}`)
  const nonce = integer('Nonce', tag('Nonce'))
  if (typeof nonce === 'string') return skip(nonce)
  const timestamp = integer('Timestamp', tag('Timestamp'))
  if (typeof timestamp === 'string') return skip(timestamp)
  const blockHeight = integer('Block-Height', tag('Block-Height'))
  if (typeof blockHeight === 'string') return skip(blockHeight)
  const sha = tag('SHA-256')
  if (sha === undefined || !/^[0-9a-fA-F]{64}$/.test(sha)) return skip(`its SHA-256 tag is ${sha === undefined ? 'missing' : `${JSON.stringify(sha)}, not 64 hex digits`}`)
  const encodingTag = tag('Content-Encoding')
  if (encodingTag !== undefined && encodingTag !== 'gzip') return skip(`its Content-Encoding is ${JSON.stringify(encodingTag)}; a CU loads only gzip`)
  const epochTag = tag('Epoch')
  const epoch = epochTag === undefined ? undefined : integer('Epoch', epochTag)
  if (typeof epoch === 'string') return skip(epoch)

  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  const data = node['data'] as { size?: unknown } | null | undefined
  const block = node['block'] as { height?: unknown; timestamp?: unknown } | null | undefined
  const size = Number(data?.size)
  return {
    id,
    owner,
    ownerKey,
    processId,
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
    tags,
    signature: text(node['signature']),
    anchor: text(node['anchor']),
    recipient: text(node['recipient']),
    dataSize: Number.isSafeInteger(size) ? size : undefined,
    block: typeof block?.height === 'number' && typeof block.timestamp === 'number' ? { height: block.height, timestamp: block.timestamp } : undefined,
  }
}
