import { ProtocolError } from './errors.ts'
import { fetchJson } from './fetchJson.ts'
import { unitUrl } from './unitUrl.ts'

/** One node of a `transactions` GraphQL answer, unchecked: callers check the fields they read. */
export type GraphqlNode = Record<string, unknown>

/** One page of a `transactions` query: the URL asked, its nodes, the cursors of its edges, and whether more pages follow. */
export type GraphqlPage = { url: string; nodes: GraphqlNode[]; cursors: string[]; hasNextPage: boolean }

/**
 * Runs a `transactions` query on the gateway's GraphQL (`POST {gateway}/graphql`) and checks the
 * shape of its answer: a `data.transactions.edges` list whose every edge has a node.
 *
 * @returns the nodes, the edges' string cursors, and `pageInfo.hasNextPage` (false when absent)
 * @throws NetworkError, HttpError, ProtocolError (not JSON, GraphQL errors, no edges list, an edge without node)
 */
export async function graphqlPage(gateway: string, query: string, variables: Record<string, unknown>, signal: AbortSignal | undefined): Promise<GraphqlPage> {
  const url = unitUrl('gateway', gateway, 'graphql')
  const body = await fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: signal ?? null }, 'gateway')
  const { data, errors } = (body ?? {}) as { data?: { transactions?: { edges?: unknown; pageInfo?: { hasNextPage?: unknown } } }; errors?: unknown }
  if (Array.isArray(errors) && errors.length) {
    throw new ProtocolError('gateway', url, `GraphQL errors: ${errors.map((e: { message?: unknown }) => String(e?.message ?? e)).join('; ')}`)
  }
  const edges = data?.transactions?.edges
  if (!Array.isArray(edges)) throw new ProtocolError('gateway', url, 'no data.transactions.edges list')
  const nodes: GraphqlNode[] = []
  const cursors: string[] = []
  for (const [i, edge] of edges.entries()) {
    const { node, cursor } = (edge ?? {}) as { node?: unknown; cursor?: unknown }
    if (typeof node !== 'object' || node === null) throw new ProtocolError('gateway', url, `edge ${i} has no node`)
    nodes.push(node as GraphqlNode)
    if (typeof cursor === 'string') cursors.push(cursor)
  }
  return { url, nodes, cursors, hasNextPage: data?.transactions?.pageInfo?.hasNextPage === true }
}
