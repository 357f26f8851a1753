import { firstHashChain, nextHashChain } from '../core/message/hashChain.ts'
import { assignedNonce, nonceTagProblem } from '../core/message/nonceOf.ts'
import { tagValue } from '../core/message/tagValue.ts'
import type { SuNode, SuProcess } from '../core/message/types.ts'
import { HashChainError, NonceGapError, ProtocolError } from './errors.ts'
import { fetchJson } from './fetchJson.ts'
import { suNodeProblem, suProcessProblem } from './shapeProblems.ts'
import { unitUrl } from './unitUrl.ts'

/**
 * The process item as its SU holds it (`GET /processes/{id}`).
 *
 * @throws ProtocolError when the answer is not a process or describes another one;
 *   NetworkError, HttpError (an SU that does not schedule the process answers 4xx)
 */
export async function fetchSuProcess(su: string, processId: string, signal?: AbortSignal): Promise<SuProcess> {
  const url = unitUrl('SU', su, `processes/${encodeURIComponent(processId)}`)
  const body = await fetchJson(url, { signal: signal ?? null }, 'SU')
  const problem = suProcessProblem(body)
  if (problem) throw new ProtocolError('SU', url, problem)
  const process = body as SuProcess
  if (process.process_id !== processId) throw new ProtocolError('SU', url, `it describes process ${process.process_id}, not ${processId}`)
  return process
}

/**
 * The nonce of the newest assignment of a process (`GET /{id}/latest`).
 *
 * @throws ProtocolError when the answer is not a log node with a Nonce; NetworkError, HttpError
 */
export async function fetchLatestNonce(su: string, processId: string, signal?: AbortSignal): Promise<number> {
  const url = unitUrl('SU', su, `${encodeURIComponent(processId)}/latest`)
  const node = checkedNode(await fetchJson(url, { signal: signal ?? null }, 'SU'), url, 'the latest node')
  return nonceOf(node, url, 'the latest assignment')
}

/**
 * One message of a process with its assignment (`GET /{messageId}?process-id=P`).
 *
 * @throws ProtocolError when the answer is not a log node; NetworkError, HttpError (an unknown
 *   message or process answers 4xx)
 */
export async function fetchSuMessage(su: string, processId: string, messageId: string, signal?: AbortSignal): Promise<SuNode> {
  const url = unitUrl('SU', su, encodeURIComponent(messageId), { 'process-id': processId })
  return checkedNode(await fetchJson(url, { signal: signal ?? null }, 'SU'), url, 'the message node')
}

/** Where `streamLog` starts and stops, and how it pages. */
export type StreamLogOptions = {
  /** Start after this nonce (exclusive). Default: from the start, nonce 0 included. */
  afterNonce?: number | undefined
  /** Stop after this nonce (inclusive). */
  toNonce: number
  /** Edges per request (the SU's `limit`), default 100. */
  pageSize?: number | undefined
  signal?: AbortSignal | undefined
  /**
   * The assignment at `afterNonce` (its id and Hash-Chain), to check the chain link of the first
   * streamed assignment too. Without it, with `afterNonce`, the first streamed link is taken as
   * given and the chain is checked from there on.
   */
  previous?: { assignmentId: string; hashChain: string } | undefined
}

/**
 * Streams a process's log from its SU, page by page (`from-nonce`/`to-nonce` paging, from
 * exclusive, cursor = nonce), checking as it goes that every edge has an assignment with a
 * Nonce, that nonces are consecutive from `afterNonce + 1` (or 0), and that every assignment's
 * Hash-Chain follows from the previous one (the first link is derived from the process id).
 * The valid part of a page is yielded before an error about the rest of it is thrown. The
 * stream ends after `toNonce`, or earlier when the SU's log ends before it.
 *
 * @throws NonceGapError, HashChainError (naming the nonce and message), ProtocolError for a
 *   page that is not an SU log page; NetworkError, HttpError; the signal's reason when aborted
 */
export async function* streamLog(su: string, processId: string, options: StreamLogOptions): AsyncGenerator<SuNode[], void, undefined> {
  const { afterNonce, toNonce, pageSize = 100, signal, previous } = options
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, not ${pageSize}`)
  let expectedNonce = afterNonce === undefined ? 0 : afterNonce + 1
  // The Hash-Chain the next assignment must carry; undefined: take the next one as given.
  let link = afterNonce === undefined ? firstHashChain(processId) : previous ? nextHashChain(previous.assignmentId, previous.hashChain) : undefined
  while (expectedNonce <= toNonce) {
    const url = unitUrl('SU', su, encodeURIComponent(processId), {
      'process-id': processId,
      'from-nonce': expectedNonce - 1,
      'to-nonce': toNonce,
      limit: pageSize,
    })
    const page = checkedPage(await fetchJson(url, { signal: signal ?? null }, 'SU'), url)
    const valid: SuNode[] = []
    let failure: unknown
    try {
      for (const node of page.nodes) {
        const nonce = nonceOf(node, url, `the assignment ${node.assignment.id}`)
        if (nonce !== expectedNonce) throw new NonceGapError({ su, processId, expected: expectedNonce, found: nonce })
        const owner = tagValue(node.assignment.tags, 'Process')
        if (owner !== processId) throw new ProtocolError('SU', url, `the assignment at nonce ${nonce} is for process ${owner ?? '(none)'}, not ${processId}`)
        const found = tagValue(node.assignment.tags, 'Hash-Chain')
        if (found === undefined || (link !== undefined && found !== link)) {
          throw new HashChainError({ su, processId, nonce, messageId: messageIdOf(node), expected: link ?? '(any link)', found: found ?? null })
        }
        try {
          link = nextHashChain(node.assignment.id, found)
        } catch (error) {
          throw new ProtocolError('SU', url, `the assignment at nonce ${nonce} has an id or Hash-Chain that is not 32 bytes of base64url`, { cause: error })
        }
        valid.push(node)
        expectedNonce++
        if (nonce === toNonce) break
      }
    } catch (error) {
      failure = error
    }
    if (valid.length) yield valid
    if (failure !== undefined) throw failure
    // An SU may say there is a next page and then send an empty one: both end the log.
    if (!page.hasNextPage || page.nodes.length === 0) return
  }
}

type Page = { hasNextPage: boolean; nodes: SuNode[] }

function checkedPage(body: unknown, url: string): Page {
  if (typeof body !== 'object' || body === null) throw new ProtocolError('SU', url, 'the page is not an object')
  const { page_info: info, edges } = body as { page_info?: { has_next_page?: unknown } | null; edges?: unknown }
  if (typeof info?.has_next_page !== 'boolean') throw new ProtocolError('SU', url, 'page_info.has_next_page is not a boolean')
  if (!Array.isArray(edges)) throw new ProtocolError('SU', url, 'edges is not a list')
  return {
    hasNextPage: info.has_next_page,
    nodes: edges.map((edge: unknown, i) => checkedNode((edge as { node?: unknown } | null)?.node, url, `edges[${i}].node`)),
  }
}

function checkedNode(value: unknown, url: string, where: string): SuNode {
  const problem = suNodeProblem(value, where)
  if (problem) throw new ProtocolError('SU', url, problem)
  return value as SuNode
}

function nonceOf(node: SuNode, url: string, what: string): number {
  const nonce = assignedNonce(node)
  if (nonce === undefined) throw new ProtocolError('SU', url, `${what} has ${nonceTagProblem(node)}`)
  return nonce
}

/** The message an edge schedules: the message's id, else the assignment's Message tag. */
function messageIdOf(node: SuNode): string {
  return node.message?.id ?? tagValue(node.assignment.tags, 'Message') ?? node.assignment.id
}
