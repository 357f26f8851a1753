import { BaseError } from '../core/errors/BaseError.ts'
import { NetworkError } from './errors.ts'
import { fetchResponse } from './fetchResponse.ts'
import { unitUrl } from './unitUrl.ts'

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

/** A CU answered that it is still evaluating the process (HTTP 202): ask again later. */
export class StateNotReadyError extends BaseError {
  override name = 'StateNotReadyError'
  readonly url: string

  constructor(url: string, serverMessage: string | undefined) {
    super(`The CU at ${url} is still evaluating this process${serverMessage ? ` (${serverMessage})` : ''}. Try again in a moment.`)
    this.url = url
  }
}

/**
 * Fetches a CU's memory of a process: its latest, or with `to` (a message timestamp in ms, the
 * only position the CU's state route takes) its memory after the last message at or before
 * that time. Messages can share a millisecond: check `ordinate` where it can be read.
 *
 * @throws StateNotReadyError (202 while it evaluates); NetworkError (also when the connection
 *   drops midway), HttpError (e.g. 404 for a process it cannot load, 503 while hydrating)
 */
export async function fetchCuState(cu: string, processId: string, options: { to?: number | undefined; signal?: AbortSignal | undefined } = {}): Promise<CuState> {
  const { to, signal } = options
  if (to !== undefined && (!Number.isSafeInteger(to) || to < 0)) throw new TypeError(`to must be a timestamp in ms, not ${to}`)
  const url = unitUrl('CU', cu, `state/${encodeURIComponent(processId)}`, { to })
  const response = await fetchResponse(url, { signal: signal ?? null }, 'CU')
  let bytes: ArrayBuffer
  try {
    bytes = await response.arrayBuffer()
  } catch (error) {
    signal?.throwIfAborted()
    throw new NetworkError('CU', url, error)
  }
  if (response.status === 202) throw new StateNotReadyError(url, messageOf(bytes))
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
