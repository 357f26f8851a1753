import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../../devnet/seed.ts'
import type { Devnet } from '../../devnet/startDevnet.ts'
import { startTestDevnet } from '../../devnet/testing.ts'
import { tagValue } from '../../src/core/message/tagValue.ts'
import type { SuNode } from '../../src/core/message/types.ts'
import { HashChainError, HttpError, NetworkError, ProtocolError } from '../../src/net/errors.ts'
import { fetchLatestNonce, fetchSuMessage, fetchSuProcess, streamLog, type StreamLogOptions } from '../../src/net/su.ts'

const nonceOf = (node: SuNode) => Number(tagValue(node.assignment.tags, 'Nonce'))

/** Every page `streamLog` yields, or the error it stopped with and the pages before it. */
async function collect(su: string, processId: string, options: StreamLogOptions): Promise<{ pages: SuNode[][]; error?: unknown }> {
  const pages: SuNode[][] = []
  try {
    for await (const page of streamLog(su, processId, options)) pages.push(page)
    return { pages }
  } catch (error) {
    return { pages, error }
  }
}

/**
 * A stand-in SU on loopback: `/html/…` answers an HTML page, `/shape/…` JSON that is not a log
 * page, `/more/…` relays to the devnet SU but always says there is a next page (so the page
 * after the last is empty). Requests it relayed are counted.
 */
async function startStandIn(suUrl: string): Promise<{ url: string; relayed: string[]; close(): Promise<void> }> {
  const relayed: string[] = []
  const server: Server = createServer((req, res) => {
    const [, mode, ...rest] = (req.url ?? '/').split('/')
    void (async () => {
      if (mode === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end('<!doctype html><html><body>Welcome to nginx!</body></html>')
      } else if (mode === 'shape') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ page_info: { has_next_page: false }, edges: [{ cursor: '0', node: { assignment: { id: 7, tags: 'Nonce=0' } } }] }))
      } else {
        relayed.push(`/${rest.join('/')}`)
        const upstream = await fetch(`${suUrl}/${rest.join('/')}`)
        const page = (await upstream.json()) as { page_info: { has_next_page: boolean } }
        page.page_info.has_next_page = true
        res.writeHead(upstream.status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(page))
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    relayed,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('SU client', () => {
  let devnet: Devnet
  let processId: string
  let messageIds: string[]
  /** The whole log as the SU serves it in one page. */
  let log: SuNode[]
  let standIn: Awaited<ReturnType<typeof startStandIn>>

  beforeAll(async () => {
    devnet = await startTestDevnet()
    const context: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users: [] }
    const [module] = await deployModules(context, ['lua-token'])
    processId = await spawnProcess(context, context.deployer, module!.id, 'su test')
    messageIds = []
    for (let i = 0; i < 12; i++) messageIds.push(await sendMessage(context, devnet.wallets[`user-${i % 3}`]!, processId, [{ name: 'Action', value: 'Info' }, { name: 'Index', value: String(i) }]))
    const page = (await (await fetch(`${devnet.ready.su}/${processId}?process-id=${processId}&from-nonce=-1`)).json()) as { edges: { node: SuNode }[] }
    log = page.edges.map((e) => e.node)
    standIn = await startStandIn(devnet.ready.su)
  })
  afterAll(async () => {
    await standIn?.close()
    await devnet?.stop()
  })

  it('reads the process, the latest nonce and one message', async () => {
    const process = await fetchSuProcess(devnet.ready.su, processId)
    expect(process.process_id).toBe(processId)
    expect(process.owner.address).toBe(devnet.wallets['deployer']!.address)
    expect(tagValue(process.tags, 'Name')).toBe('su test')
    expect(process.block).toMatch(/^\d{12}$/)
    expect(await fetchLatestNonce(devnet.ready.su, processId)).toBe(12)
    const fifth = await fetchSuMessage(devnet.ready.su, processId, messageIds[4]!)
    expect(fifth.message?.id).toBe(messageIds[4])
    expect(nonceOf(fifth)).toBe(5)
    expect(fifth).toEqual(log[5])
  })

  it('streams the whole log page by page, in order, exactly as the SU serves it', async () => {
    expect(log).toHaveLength(13)
    const { pages, error } = await collect(devnet.ready.su, processId, { toNonce: 12, pageSize: 5 })
    expect(error).toBeUndefined()
    expect(pages.map((p) => p.length)).toEqual([5, 5, 3])
    const nodes = pages.flat()
    expect(nodes.map(nonceOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(nodes).toEqual(log)
    expect(nodes[0]!.message?.id).toBe(processId)
    expect(nodes.slice(1).map((n) => n.message?.id)).toEqual(messageIds)
  })

  it('stops after toNonce', async () => {
    const { pages, error } = await collect(devnet.ready.su, processId, { toNonce: 7, pageSize: 5 })
    expect(error).toBeUndefined()
    expect(pages.flat().map(nonceOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('continues after a nonce, checking the first link against the previous assignment', async () => {
    const at = log[6]!
    const previous = { assignmentId: at.assignment.id, hashChain: tagValue(at.assignment.tags, 'Hash-Chain')! }
    const { pages, error } = await collect(devnet.ready.su, processId, { afterNonce: 6, toNonce: 10, pageSize: 3, previous })
    expect(error).toBeUndefined()
    expect(pages.flat()).toEqual(log.slice(7, 11))
    // The same continuation from a different previous link is a broken chain at nonce 7.
    const tampered = { ...previous, hashChain: tagValue(log[5]!.assignment.tags, 'Hash-Chain')! }
    const broken = await collect(devnet.ready.su, processId, { afterNonce: 6, toNonce: 10, previous: tampered })
    expect(broken.pages).toEqual([])
    expect(broken.error).toBeInstanceOf(HashChainError)
    expect(broken.error).toMatchObject({ nonce: 7, messageId: messageIds[6], found: tagValue(log[7]!.assignment.tags, 'Hash-Chain') })
  })

  it('ends the log on an empty page that followed has_next_page: true', async () => {
    const before = standIn.relayed.length
    const { pages, error } = await collect(`${standIn.url}/more`, processId, { toNonce: 1000, pageSize: 5 })
    expect(error).toBeUndefined()
    expect(pages.flat()).toEqual(log)
    // Three full pages, then the empty one that ends it.
    expect(standIn.relayed.slice(before)).toEqual(
      [-1, 4, 9, 12].map((from) => `/${processId}?process-id=${processId}&from-nonce=${from}&to-nonce=1000&limit=5`),
    )
  })

  it('refuses a page that is not an SU log page', async () => {
    const html = await collect(`${standIn.url}/html`, processId, { toNonce: 12 })
    expect(html.error).toBeInstanceOf(ProtocolError)
    expect((html.error as Error).message).toBe(
      `The SU at ${standIn.url}/html/${processId}?process-id=${processId}&from-nonce=-1&to-nonce=12&limit=100 returned a page that is not an AO SU page ` +
        '(not JSON: it starts with "<!doctype html><html><body>Welcome to nginx!</body></html>"). Check that the SU URL in Settings points to an AO SU.',
    )
    const shape = await collect(`${standIn.url}/shape`, processId, { toNonce: 12 })
    expect(shape.error).toBeInstanceOf(ProtocolError)
    expect(shape.error).toMatchObject({ reason: 'edges[0].node.assignment.id is not a string' })
    await expect(fetchSuProcess(`${standIn.url}/html`, processId)).rejects.toBeInstanceOf(ProtocolError)
  })

  it('fails with a NetworkError when the SU cannot be reached', async () => {
    const closed = await closedPort()
    const { error } = await collect(`http://127.0.0.1:${closed}`, processId, { toNonce: 12 })
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toBe(
      `Could not reach the SU at http://127.0.0.1:${closed}/${processId}?process-id=${processId}&from-nonce=-1&to-nonce=12&limit=100: ` +
        `fetch failed (connect ECONNREFUSED 127.0.0.1:${closed}). Check the URL in Settings or your connection.`,
    )
    // Port 1 is one fetch refuses to use at all.
    await expect(fetchLatestNonce('http://127.0.0.1:1', processId)).rejects.toThrow(/^Could not reach the SU at http:\/\/127\.0\.0\.1:1\/\S+\/latest: fetch failed \(bad port\)\./)
  })

  it("carries the SU's error text on a 4xx", async () => {
    const unknown = randomBytes(32).toString('base64url')
    const error = await fetchSuProcess(devnet.ready.su, unknown).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 400, serverError: `Process ${unknown} is not scheduled on this SU` })
    expect((error as Error).message).toBe(`The SU at ${devnet.ready.su}/processes/${unknown} answered HTTP 400: Process ${unknown} is not scheduled on this SU.`)
    await expect(fetchSuMessage(devnet.ready.su, processId, unknown)).rejects.toMatchObject({ name: 'HttpError', status: 400, serverError: 'Message or Process not found' })
    const streamed = await collect(devnet.ready.su, unknown, { toNonce: 3 })
    expect(streamed.error).toMatchObject({ name: 'HttpError', status: 400, serverError: 'Message or Process not found' })
  })

  it('stops with the abort reason when its signal is aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const { error } = await collect(devnet.ready.su, processId, { toNonce: 12, signal: controller.signal })
    expect(error).toMatchObject({ name: 'AbortError' })
    await expect(fetchSuProcess(devnet.ready.su, processId, controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
  })
})
