import type { EvalResult, OutboxItem, Tag } from '../core/message/types.ts'
import { ProtocolError } from './errors.ts'
import { fetchJson } from './fetchJson.ts'
import { tagsProblem } from './shapeProblems.ts'
import { unitUrl } from './unitUrl.ts'
import { withRetries, type RetryingRequestOptions } from './withRetries.ts'

/**
 * The wallet address a CU signs with (`GET /` → `address`). Like every request to a CU here,
 * a rate limit, a 5xx or no answer is asked again under the retry policy (`withRetries`).
 *
 * @throws ProtocolError when the answer has no address; HttpError not worth retrying;
 *   RetriesExhaustedError after the last attempt; the signal's reason when aborted
 */
export async function fetchCuAddress(cu: string, options: RetryingRequestOptions = {}): Promise<string> {
  const url = unitUrl('CU', cu, '')
  const body = await cuJson(cu, url, {}, options)
  const address = (body as { address?: unknown } | null)?.address
  if (typeof address !== 'string' || !address) throw new ProtocolError('CU', url, 'it has no address')
  return address
}

/**
 * What a CU says one message of a process produced (`GET /result/{id}?process-id=P`); asking
 * makes the CU evaluate up to that message. Absent outbox lists are empty lists.
 *
 * @throws ProtocolError when the answer is not a result; HttpError not worth retrying (422: an
 *   unsupported module format or a broken hash chain; 425: a message the CU no longer has
 *   cached); RetriesExhaustedError after the last attempt (429, 5xx, no answer); the signal's
 *   reason when aborted
 */
export async function fetchResult(cu: string, processId: string, messageId: string, options: RetryingRequestOptions = {}): Promise<EvalResult> {
  const url = unitUrl('CU', cu, `result/${encodeURIComponent(messageId)}`, { 'process-id': processId })
  return checkedResult(await cuJson(cu, url, {}, options), url)
}

/** The message of a dry-run; `Id` and `Owner` default to "1234" (as aoconnect sends), `Target` to the process. */
export type DryRunMessage = {
  Owner?: string | undefined
  Tags: Tag[]
  Data?: string | undefined
  Id?: string | undefined
  Target?: string | undefined
  Anchor?: string | undefined
}

/**
 * Evaluates a read-only message on a CU's state of a process without saving it
 * (`POST /dry-run?process-id=P[&to=ID]`): on its latest state, or with `to` on its state just
 * after that message.
 *
 * @throws ProtocolError when the answer is not a result; HttpError not worth retrying;
 *   RetriesExhaustedError after the last attempt (429: the CU's dry-run rate limit, 5xx, no
 *   answer); the signal's reason when aborted
 */
export async function dryRun(cu: string, processId: string, message: DryRunMessage, options: { to?: string | undefined } & RetryingRequestOptions = {}): Promise<EvalResult> {
  const problem = tagsProblem(message.Tags, 'Tags')
  if (problem) throw new TypeError(`dry-run message: ${problem}`)
  const url = unitUrl('CU', cu, 'dry-run', { 'process-id': processId, to: options.to })
  const body = { Id: '1234', Owner: '1234', Target: processId, ...defined(message) }
  const answer = await cuJson(cu, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, options)
  return checkedResult(answer, url)
}

/** A JSON answer of a CU, under the retry policy. */
function cuJson(cu: string, url: string, init: RequestInit, options: RetryingRequestOptions): Promise<unknown> {
  const { signal, retry } = options
  return withRetries({ unit: 'CU', url: cu }, () => fetchJson(url, { ...init, signal: signal ?? null }, 'CU'), { policy: retry, signal })
}

function defined(message: DryRunMessage): Record<string, unknown> {
  return Object.fromEntries(Object.entries(message).filter(([, value]) => value !== undefined))
}

function checkedResult(body: unknown, url: string): EvalResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ProtocolError('CU', url, 'the result is not an object')
  const fields = body as Record<string, unknown>
  const list = (name: string): OutboxItem[] => {
    const value = fields[name]
    if (value === undefined || value === null) return []
    if (!Array.isArray(value) || !value.every((item: unknown) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
      throw new ProtocolError('CU', url, `${name} is not a list of objects`)
    }
    return value as OutboxItem[]
  }
  const result: EvalResult = { Output: fields['Output'], Messages: list('Messages'), Spawns: list('Spawns'), Assignments: list('Assignments') }
  if (Array.isArray(fields['Patches'])) result.Patches = list('Patches')
  if (fields['Error'] !== undefined) result.Error = fields['Error']
  if (typeof fields['GasUsed'] === 'number') result.GasUsed = fields['GasUsed']
  return result
}
