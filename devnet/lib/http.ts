import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A route handler: a web Request in, a web Response out. */
export type Handler = (request: Request, url: URL, params: string[]) => Response | Promise<Response>

/** A method and path pattern (anchored regular expression; groups become `params`). */
export type Route = [method: string, pattern: RegExp, handler: Handler]

/** A running loopback server. */
export type Listening = { url: string; port: number; server: Server; close(): Promise<void> }

/** An error a handler throws to answer with a status and `{ error }`, as AO units do. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export const corsHeaders: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, HEAD, OPTIONS',
  'access-control-allow-headers': '*',
}

/** A JSON response with CORS headers. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
}

/** Routes a request: the first route whose method and pattern match answers. */
export function router(routes: Route[], fallback?: (request: Request, url: URL) => Response | Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url)
    if (request.method === 'OPTIONS') return new Response(null, { status: 204 })
    for (const [method, pattern, handler] of routes) {
      if (method !== request.method && !(method === 'GET' && request.method === 'HEAD')) continue
      const match = pattern.exec(url.pathname)
      if (match) return handler(request, url, match.slice(1).map((p) => decodeURIComponent(p ?? '')))
    }
    return fallback ? fallback(request, url) : json({ error: `no route for ${request.method} ${url.pathname}` }, 404)
  }
}

/**
 * Serves `handle` on 127.0.0.1 only (port 0 picks a free port). Thrown HttpErrors become
 * `{ error }` with their status, anything else a 500; every response carries CORS headers.
 */
export async function listenLoopback(port: number, handle: (request: Request) => Promise<Response>, name = 'server'): Promise<Listening> {
  const server = createServer((req, res) => {
    void respond(req, res, handle, name)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const actual = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    server,
    close: () => closeServer(server),
  }
}

/** Closes a server, dropping its keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/** Converts a Node request into a web Request (body buffered). */
export async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks)
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v)
  }
  const method = req.method ?? 'GET'
  return new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
  })
}

/** Answers a Node request with `handle`, as `listenLoopback` does. */
export async function respond(req: IncomingMessage, res: ServerResponse, handle: (request: Request) => Promise<Response>, name: string): Promise<void> {
  let response: Response
  try {
    response = await handle(await toRequest(req))
  } catch (error) {
    if (error instanceof HttpError) response = json({ error: error.message }, error.status)
    else {
      console.error(`[${name}] ${req.method} ${req.url}:`, error)
      response = json({ error: error instanceof Error ? error.message : String(error) }, 500)
    }
  }
  try {
    const headers: Record<string, string> = { ...corsHeaders }
    response.headers.forEach((value, key) => {
      headers[key] = value
    })
    const body = req.method === 'HEAD' || response.body === null ? undefined : Buffer.from(await response.arrayBuffer())
    res.writeHead(response.status, headers)
    res.end(body)
  } catch (error) {
    if (!res.headersSent) res.writeHead(500)
    res.end()
    console.error(`[${name}] writing the response failed:`, error)
  }
}
