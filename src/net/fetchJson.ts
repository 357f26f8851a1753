import { ProtocolError, type Unit } from './errors.ts'
import { fetchResponse, readText } from './fetchResponse.ts'

/**
 * Fetches a JSON body. Honours `init.signal`: aborting rejects with its reason.
 *
 * @param what the kind of server, named in error messages
 * @returns the parsed body, unchecked: callers check its shape
 * @throws NetworkError, HttpError (non-2xx, with the server's `{ error }` text), ProtocolError
 *   when a 2xx body is not JSON
 */
export async function fetchJson(url: string, init: RequestInit | undefined, what: Unit): Promise<unknown> {
  const response = await fetchResponse(url, init, what)
  const text = await readText(response, url, what, init?.signal)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    const start = text.trim().slice(0, 60)
    throw new ProtocolError(what, url, start ? `not JSON: it starts with ${JSON.stringify(start)}` : 'an empty body, not JSON', { cause: error })
  }
}

