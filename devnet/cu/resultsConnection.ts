import type { EvalResult } from '../../src/core/message/types.ts'
import { HttpError } from '../lib/http.ts'

/** A cached evaluation, where `/results` needs it. */
export type ResultEntry = { nonce: number; timestamp: number; result: EvalResult }

/** The node of a `/result` or `/results` answer: the result without Memory. */
export type ResultNode = { Messages: unknown[]; Spawns: unknown[]; Assignments: unknown[]; Output: unknown; Error?: unknown; GasUsed?: number }

/** One page of `/results`, in the CU's shape (camelCase `pageInfo`). */
export type ResultsConnection = { pageInfo: { hasNextPage: boolean }; edges: { cursor: string; node: ResultNode }[] }

type Sort = 'ASC' | 'DESC'
type Bound = { timestamp: number; ordinate?: number; sort?: Sort }

/** The query of `/results`: `from` (exclusive), `to` (inclusive), each a cursor or a timestamp. */
export type ResultsQuery = { from: string | null; to: string | null; sort: string | null; limit: string | null }

/**
 * Pages cached results as the CU's `/results` does: errored ones left out, ordered by
 * (timestamp, ordinate), `from` exclusive and `to` inclusive, each either a cursor (whose `sort`
 * wins over the query's, as in the CU) or a plain timestamp in ms; default limit 25.
 * Ordinates compare as numbers here (the CU compares them as strings inside its row ids).
 *
 * @throws HttpError 400 for an unreadable sort, limit, from or to
 */
export function resultsConnection(entries: Iterable<ResultEntry>, query: ResultsQuery, toNode: (entry: ResultEntry) => ResultNode): ResultsConnection {
  if (query.sort !== null && query.sort !== 'ASC' && query.sort !== 'DESC') throw new HttpError(400, `sort must be ASC or DESC, not ${JSON.stringify(query.sort)}`)
  const limit = query.limit === null || query.limit === '' ? 25 : Number(query.limit)
  if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, `limit must be a positive integer, not ${JSON.stringify(query.limit)}`)
  const from = query.from ? parseBound(query.from, 'from') : undefined
  const to = query.to ? parseBound(query.to, 'to') : undefined
  const sort: Sort = from?.sort ?? to?.sort ?? (query.sort as Sort | null) ?? 'ASC'
  const matching = [...entries]
    .filter((e) => e.result.Error === undefined && (!from || isAfter(e, from)) && (!to || !isAfter(e, to)))
    .sort((a, b) => (a.timestamp - b.timestamp || a.nonce - b.nonce) * (sort === 'ASC' ? 1 : -1))
  return {
    pageInfo: { hasNextPage: matching.length > limit },
    edges: matching.slice(0, limit).map((e) => ({ cursor: toCursor(e, sort), node: toNode(e) })),
  }
}

/** A `/results` cursor as the CU makes it: standard base64 of `{timestamp, ordinate, cron, sort}`. */
export function toCursor(entry: ResultEntry, sort: Sort): string {
  return Buffer.from(JSON.stringify({ timestamp: entry.timestamp, ordinate: String(entry.nonce), cron: false, sort })).toString('base64')
}

/** Whether an entry comes after a bound (a plain timestamp bound covers its whole millisecond). */
function isAfter(entry: ResultEntry, bound: Bound): boolean {
  if (entry.timestamp !== bound.timestamp) return entry.timestamp > bound.timestamp
  return bound.ordinate !== undefined && entry.nonce > bound.ordinate
}

function parseBound(text: string, name: string): Bound {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as { timestamp?: unknown; ordinate?: unknown; sort?: unknown } | null
    if (cursor && typeof cursor === 'object' && cursor.timestamp !== undefined) {
      const timestamp = Number(cursor.timestamp)
      const ordinate = cursor.ordinate === undefined || cursor.ordinate === null ? undefined : Number(cursor.ordinate)
      if (Number.isFinite(timestamp) && (ordinate === undefined || Number.isFinite(ordinate))) {
        return {
          timestamp,
          ...(ordinate === undefined ? {} : { ordinate }),
          ...(cursor.sort === 'ASC' || cursor.sort === 'DESC' ? { sort: cursor.sort } : {}),
        }
      }
    }
  } catch {
    // not a cursor: a timestamp
  }
  const timestamp = Number(text)
  if (!/^\d+$/.test(text) || !Number.isFinite(timestamp)) throw new HttpError(400, `${name} must be a cursor from /results or a timestamp in ms, not ${JSON.stringify(text)}`)
  return { timestamp }
}
