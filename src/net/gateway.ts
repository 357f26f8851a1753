import { tagValue } from '../core/message/tagValue.ts'
import type { Owner, Tag } from '../core/message/types.ts'
import { HttpError, NetworkError, NotFoundError, ProtocolError } from './errors.ts'
import { fetchResponse } from './fetchResponse.ts'
import { graphqlPage } from './graphqlPage.ts'
import { ownerProblem, tagsProblem } from './shapeProblems.ts'
import { unitUrl } from './unitUrl.ts'

/** What the gateway's GraphQL says about a transaction or data item (everything but its data). */
export type TransactionMeta = {
  id: string
  owner: Owner
  tags: Tag[]
  signature: string | null
  anchor: string | null
  recipient: string
}

const metaQuery = 'query($ids:[ID!]){transactions(ids:$ids){edges{node{id signature anchor recipient owner{address key} tags{name value}}}}}'

const locationQuery =
  'query($owners:[String!]){transactions(owners:$owners, tags:[{name:"Data-Protocol",values:["ao"]},{name:"Type",values:["Scheduler-Location"]}], sort: HEIGHT_DESC, first: 1){edges{node{id tags{name value}}}}}'

/**
 * A transaction's (or data item's) id, owner, tags, signature, anchor and recipient, from the
 * gateway's GraphQL, as the gateway returns them.
 *
 * @throws NotFoundError when the gateway does not have it; NetworkError, HttpError, ProtocolError
 */
export async function fetchTransactionMeta(gateway: string, id: string, signal?: AbortSignal): Promise<TransactionMeta> {
  const { url, nodes } = await graphqlPage(gateway, metaQuery, { ids: [id] }, signal)
  const node = nodes.find((n) => n['id'] === id)
  if (!node) throw new NotFoundError({ gateway, id, what: 'transaction' })
  const problem =
    ownerProblem(node['owner'], 'owner') ??
    tagsProblem(node['tags'], 'tags') ??
    (['signature', 'anchor'].some((f) => node[f] !== null && node[f] !== undefined && typeof node[f] !== 'string') ? 'signature or anchor is not a string' : undefined) ??
    (node['recipient'] !== null && node['recipient'] !== undefined && typeof node['recipient'] !== 'string' ? 'recipient is not a string' : undefined)
  if (problem) throw new ProtocolError('gateway', url, `transaction ${id}: ${problem}`)
  return {
    id,
    owner: node['owner'] as Owner,
    tags: node['tags'] as Tag[],
    signature: (node['signature'] as string | null | undefined) ?? null,
    anchor: (node['anchor'] as string | null | undefined) ?? null,
    recipient: (node['recipient'] as string | null | undefined) ?? '',
  }
}

/**
 * The data of a transaction or data item (`GET /raw/{id}`), byte for byte.
 *
 * @throws NotFoundError when the gateway does not have it (404); NetworkError (also when the
 *   connection drops midway), HttpError
 */
export async function fetchData(gateway: string, id: string, signal?: AbortSignal): Promise<Uint8Array> {
  const url = unitUrl('gateway', gateway, `raw/${encodeURIComponent(id)}`)
  let response: Response
  try {
    response = await fetchResponse(url, { signal: signal ?? null }, 'gateway')
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) throw new NotFoundError({ gateway, id, what: 'transaction' }, { cause: error })
    throw error
  }
  try {
    return new Uint8Array(await response.arrayBuffer())
  } catch (error) {
    signal?.throwIfAborted()
    throw new NetworkError('gateway', url, error)
  }
}

/**
 * Where the scheduler (SU) with wallet `address` is: the `Url` tag of the newest
 * `Type: Scheduler-Location` record it owns, as AO clients find it, and its `Time-To-Live` (ms;
 * how long clients may cache it), when the record gives one.
 *
 * @throws NotFoundError when there is no such record; ProtocolError when its Url is not a URL;
 *   NetworkError, HttpError
 */
export async function findSchedulerLocation(gateway: string, address: string, signal?: AbortSignal): Promise<{ url: string; ttlMs: number | undefined }> {
  const { url, nodes } = await graphqlPage(gateway, locationQuery, { owners: [address] }, signal)
  const node = nodes[0]
  if (!node) throw new NotFoundError({ gateway, id: address, what: 'scheduler-location' })
  const problem = tagsProblem(node['tags'], 'tags')
  if (problem) throw new ProtocolError('gateway', url, `Scheduler-Location record: ${problem}`)
  const tags = node['tags'] as Tag[]
  const location = tagValue(tags, 'Url')
  if (!location || !URL.canParse(location)) {
    throw new ProtocolError('gateway', url, `the Scheduler-Location record ${String(node['id'])} of scheduler ${address} has Url ${JSON.stringify(location ?? null)}, not a URL`)
  }
  const ttl = Number(tagValue(tags, 'Time-To-Live'))
  return { url: location, ttlMs: Number.isFinite(ttl) && ttl > 0 ? ttl : undefined }
}

/**
 * Where a process is scheduled: its `Scheduler` tag (a wallet address), that scheduler's URL and
 * how long the URL may be cached.
 *
 * @throws NotFoundError when the process is not on the gateway, has no Scheduler tag, or its
 *   scheduler has no Scheduler-Location record; NetworkError, HttpError, ProtocolError
 */
export async function findProcessSu(gateway: string, processId: string, signal?: AbortSignal): Promise<{ url: string; address: string; ttlMs: number | undefined }> {
  const meta = await fetchTransactionMeta(gateway, processId, signal)
  const address = tagValue(meta.tags, 'Scheduler')
  if (!address) throw new NotFoundError({ gateway, id: processId, what: 'process' })
  return { ...(await findSchedulerLocation(gateway, address, signal)), address }
}
