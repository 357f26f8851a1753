import { tagValue } from '../../src/core/message/tagValue.ts'
import { toAoMessage } from '../../src/core/message/toAoMessage.ts'
import type { AoMessage, SuNode } from '../../src/core/message/types.ts'
import { HttpError } from '../lib/http.ts'
import { loadAssignedMessage } from './loadAssignedMessage.ts'
import { errorText, type ProcessContext } from './loadProcessContext.ts'

/** Where a process's log is: its id and the URL of its SU. */
export type LogSource = Pick<ProcessContext, 'id' | 'suUrl'>

type SuPage = { page_info: { has_next_page: boolean }; edges: { cursor: string; node: SuNode }[] }

const pageSize = 100

/**
 * The SU log of a process from after nonce `after` (exclusive) to `to` (inclusive), in order,
 * read page by page.
 *
 * @throws HttpError 404 when the SU refuses the query, 502 when it fails or an assignment has no Nonce
 */
export async function* logOf(source: LogSource, after: number | undefined, to: number): AsyncGenerator<SuNode> {
  let from = after
  for (;;) {
    const query = new URLSearchParams({ 'process-id': source.id, 'to-nonce': String(to), limit: String(pageSize) })
    if (from !== undefined) query.set('from-nonce', String(from))
    const page = await suGet<SuPage>(`${source.suUrl}/${source.id}?${query}`, `the log of process ${source.id}`)
    let last = from
    for (const edge of page.edges) {
      const nonce = nonceOf(edge.node)
      if (last !== undefined && nonce <= last) continue
      last = nonce
      yield edge.node
    }
    // The SU may say there is a next page and then give an empty one.
    if (!page.page_info.has_next_page || last === from) return
    from = last
  }
}

/**
 * The nonce of a message of a process, from the SU (the process itself is nonce 0).
 *
 * @throws HttpError 404 when the SU does not know the message, 502 when it fails
 */
export async function nonceOfMessage(source: LogSource, messageId: string): Promise<number> {
  return messageId === source.id ? 0 : nonceOf(await suGet<SuNode>(`${source.suUrl}/${messageId}?process-id=${source.id}`, `message ${messageId} of process ${source.id}`))
}

/**
 * The nonce of the latest message of a process, from the SU.
 *
 * @throws HttpError 404 when the SU refuses, 502 when it fails
 */
export async function latestNonce(source: LogSource): Promise<number> {
  return nonceOf(await suGet<SuNode>(`${source.suUrl}/${source.id}/latest`, `the latest message of process ${source.id}`))
}

/**
 * The message of a log entry as the CU evaluates it, hydrated from the gateway at `gatewayUrl`
 * when the entry is an assignment of an existing transaction.
 *
 * @throws HttpError 502 when the gateway does not have the assigned transaction
 */
export async function aoMessageOf(gatewayUrl: string, node: SuNode): Promise<AoMessage> {
  return node.message ? toAoMessage(node) : toAoMessage(node, await loadAssignedMessage(gatewayUrl, node))
}

/**
 * The nonce of a log entry.
 *
 * @throws HttpError 502 when its assignment has no Nonce tag
 */
export function nonceOf(node: SuNode): number {
  const nonce = Number.parseInt(tagValue(node.assignment.tags, 'Nonce') ?? '', 10)
  if (Number.isNaN(nonce)) throw new HttpError(502, `assignment ${node.assignment.id} has no Nonce tag`)
  return nonce
}

async function suGet<T>(url: string, what: string): Promise<T> {
  const res = await fetch(url)
  const text = await res.text()
  if (!res.ok) throw new HttpError(res.status < 500 ? 404 : 502, `${what}: the SU answered ${res.status} ${errorText(text)}`)
  return JSON.parse(text) as T
}
