import { HttpError, NetworkError, type Unit } from './errors.ts'

/**
 * `fetch` with AO's failures mapped to Holoscope errors. An aborted `init.signal` rejects with
 * the signal's reason (an AbortError), never a NetworkError.
 *
 * @param unit the kind of server, named in error messages
 * @returns the response, when its status is 2xx (its body unread)
 * @throws NetworkError when nothing was answered; HttpError for a non-2xx status, carrying the
 *   server's `{ error }` text (or GraphQL `errors`, or the start of the body) and its `Retry-After`
 */
export async function fetchResponse(url: string, init: RequestInit | undefined, unit: Unit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(url, init)
  } catch (error) {
    init?.signal?.throwIfAborted()
    throw new NetworkError(unit, url, error)
  }
  if (response.ok) return response
  throw new HttpError(unit, url, response.status, await serverErrorOf(response, init?.signal), response.headers.get('retry-after') ?? undefined)
}

/**
 * Reads a body as text, mapping a connection lost midway to NetworkError.
 *
 * @throws NetworkError, or the signal's reason when aborted
 */
export async function readText(response: Response, url: string, unit: Unit, signal?: AbortSignal | null): Promise<string> {
  try {
    return await response.text()
  } catch (error) {
    signal?.throwIfAborted()
    throw new NetworkError(unit, url, error)
  }
}

async function serverErrorOf(response: Response, signal: AbortSignal | null | undefined): Promise<string | undefined> {
  let text: string
  try {
    text = await response.text()
  } catch {
    signal?.throwIfAborted()
    return undefined
  }
  try {
    const body = JSON.parse(text) as unknown
    if (body && typeof body === 'object') {
      const { error, errors } = body as { error?: unknown; errors?: unknown }
      if (typeof error === 'string' && error) return error
      if (Array.isArray(errors)) {
        const messages = errors.map((e: unknown) => (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : '')).filter(Boolean)
        if (messages.length) return messages.join('; ')
      }
    }
  } catch {
    // not JSON: the start of the text says more than nothing
  }
  const trimmed = text.trim()
  return trimmed ? (trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed) : undefined
}
