import { NetworkError, StateNotReadyError } from './errors.ts'
import { fetchResponse } from './fetchResponse.ts'
import { unitUrl } from './unitUrl.ts'
import { withRetries, type RetryingRequestOptions } from './withRetries.ts'

/**
 * A process's memory as a CU reports it (`GET /state/{P}`), and where in the log it is, from
 * the `Last-Ordinate`, `Last-Timestamp` and `Last-Block-Height` headers: undefined when the CU
 * does not send them or a browser may not read them (CUs do not expose them to CORS).
 */
export type CuState = {
  memory: Uint8Array
  ordinate: string | undefined
  timestamp: number | undefined
  blockHeight: number | undefined
}

/**
 * Fetches a CU's memory of a process: its latest, or with `to` (a message timestamp in ms, the
 * only position the CU's state route takes) its memory after the last message at or before
 * that time. Messages can share a millisecond: check `ordinate` where it can be read. A CU
 * still evaluating (202), rate limiting, failing with 5xx or not answering is asked again
 * under the retry policy (`withRetries`).
 *
 * @throws RetriesExhaustedError after the last attempt (its cause: StateNotReadyError for a
 *   202, NetworkError, HttpError); HttpError not worth retrying (e.g. 404 for a process it
 *   cannot load, 422, 425); the signal's reason when aborted
 */
export async function fetchCuState(cu: string, processId: string, options: { to?: number | undefined } & RetryingRequestOptions = {}): Promise<CuState> {
  const { to, signal } = options
  if (to !== undefined && (!Number.isSafeInteger(to) || to < 0)) throw new TypeError(`to must be a timestamp in ms, not ${to}`)
  const url = unitUrl('CU', cu, `state/${encodeURIComponent(processId)}`, { to })
  return withRetries({ unit: 'CU', url: cu }, () => fetchStateOnce(url, signal), { policy: options.retry, signal })
}

async function fetchStateOnce(url: string, signal: AbortSignal | undefined): Promise<CuState> {
  const response = await fetchResponse(url, { signal: signal ?? null }, 'CU')
  let bytes: ArrayBuffer
  try {
    bytes = await response.arrayBuffer()
  } catch (error) {
    signal?.throwIfAborted()
    throw new NetworkError('CU', url, error)
  }
  if (response.status === 202) throw new StateNotReadyError(url, messageOf(bytes), response.headers.get('retry-after') ?? undefined)
  const header = (name: string) => response.headers.get(name) ?? undefined
  const integer = (name: string) => {
    const value = header(name)
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
  }
  return { memory: new Uint8Array(bytes), ordinate: header('Last-Ordinate'), timestamp: integer('Last-Timestamp'), blockHeight: integer('Last-Block-Height') }
}

function messageOf(bytes: ArrayBuffer): string | undefined {
  try {
    const body = JSON.parse(new TextDecoder().decode(bytes)) as { message?: unknown }
    return typeof body.message === 'string' ? body.message : undefined
  } catch {
    return undefined
  }
}
