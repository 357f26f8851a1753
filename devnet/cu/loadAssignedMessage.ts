import type { AssignedMessage } from '../../src/core/message/toAoMessage.ts'
import type { Owner, SuNode, Tag } from '../../src/core/message/types.ts'
import { graphql } from '../gateway/startGateway.ts'
import { HttpError } from '../lib/http.ts'

type Meta = { id: string; signature: string | null; anchor: string | null; owner: Owner; tags: Tag[]; recipient: string | null; data: { size: string } | null }

/**
 * Loads the message of an SU edge without one (an assignment of an existing transaction)
 * as the CU hydrates it: meta from gateway GraphQL, data from `/raw/{id}` read as UTF-8 text
 * (invalid bytes replaced); `Exclude` tags of the assignment leave out Data, Tags, Signature
 * or Anchor.
 *
 * @throws HttpError 502 when the gateway does not have the assigned transaction
 */
export async function loadAssignedMessage(gatewayUrl: string, node: SuNode): Promise<AssignedMessage> {
  const tags = node.assignment.tags
  const id = tags.find((t) => t.name === 'Message')?.value
  if (!id) throw new HttpError(502, `assignment ${node.assignment.id} has neither a message nor a Message tag`)
  const exclude = new Set(tags.filter((t) => t.name === 'Exclude').flatMap((t) => t.value.split(',')))
  const data = (await graphql(gatewayUrl, 'query($ids:[ID!]){transactions(ids:$ids){edges{node{id signature anchor owner{address key} tags{name value} recipient data{size}}}}}', {
    ids: [id],
  })) as { transactions: { edges: { node: Meta }[] } }
  const meta = data.transactions.edges[0]?.node
  if (!meta) throw new HttpError(502, `message ${id}, assigned by ${node.assignment.id}, is not on the gateway`)
  let text: string | null = null
  if (!exclude.has('Data') && meta.data?.size === '0') text = ''
  else if (!exclude.has('Data')) {
    const res = await fetch(`${gatewayUrl}/raw/${id}`)
    if (!res.ok) throw new HttpError(502, `the gateway has no data for assigned message ${id} (${res.status})`)
    text = await res.text()
  }
  return {
    id: meta.id,
    signature: exclude.has('Signature') ? null : meta.signature,
    owner: meta.owner,
    tags: exclude.has('Tags') ? [] : meta.tags,
    anchor: exclude.has('Anchor') ? null : meta.anchor,
    recipient: meta.recipient ?? '',
    data: text,
  }
}
