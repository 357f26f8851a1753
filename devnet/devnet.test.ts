import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { firstHashChain, nextHashChain } from '../src/core/message/hashChain.ts'
import { tagValue } from '../src/core/message/tagValue.ts'
import type { SuNode } from '../src/core/message/types.ts'
import { defaultStartHeight, startGateway } from './gateway/startGateway.ts'
import { signDataItem } from './lib/dataItems.ts'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from './seed.ts'
import type { Devnet } from './startDevnet.ts'
import { loadWallets } from './lib/wallets.ts'
import { eventually, sharedWalletsDir, startTestDevnet } from './testing.ts'

type Page = { page_info: { has_next_page: boolean }; edges: { cursor: string; node: SuNode }[] }

const contextOf = (devnet: Devnet): SeedContext => ({
  gateway: devnet.gateway,
  muUrl: devnet.ready.mu,
  muIdle: () => devnet.mu.idle(),
  scheduler: devnet.ready.scheduler,
  deployer: devnet.wallets['deployer']!,
  users: [devnet.wallets['user-0']!, devnet.wallets['user-1']!],
})

async function log(suUrl: string, processId: string): Promise<SuNode[]> {
  const nodes: SuNode[] = []
  let from = -1
  for (;;) {
    const page = (await (await fetch(`${suUrl}/${processId}?process-id=${processId}&from-nonce=${from}&limit=7`)).json()) as Page
    nodes.push(...page.edges.map((e) => e.node))
    if (!page.page_info.has_next_page || page.edges.length === 0) return nodes
    from = Number(page.edges.at(-1)!.cursor)
  }
}

const nonces = (nodes: SuNode[]) => nodes.map((n) => Number(tagValue(n.assignment.tags, 'Nonce')))

/** The nonce of the first assignment whose Hash-Chain is not the SU's chain rule, or undefined. */
function firstChainBreak(processId: string, nodes: SuNode[]): number | undefined {
  let expected = firstHashChain(processId)
  for (const node of nodes) {
    const link = tagValue(node.assignment.tags, 'Hash-Chain')!
    if (link !== expected) return Number(tagValue(node.assignment.tags, 'Nonce'))
    expected = nextHashChain(node.assignment.id, link)
  }
  return undefined
}

describe('devnet: SU, MU and gateway', () => {
  let devnet: Devnet
  let module: string

  beforeAll(async () => {
    devnet = await startTestDevnet()
    module = (await deployModules(contextOf(devnet), ['lua-token']))[0]!.id
  })
  afterAll(() => devnet?.stop())

  it('schedules a process and messages with nonces, a hash chain and signed assignments on the gateway', async () => {
    const context = contextOf(devnet)
    const processId = await spawnProcess(context, context.deployer, module, 'chain test')
    for (let i = 0; i < 9; i++) await sendMessage(context, context.users[i % 2]!, processId, [{ name: 'Action', value: 'Info' }])
    const nodes = await log(devnet.ready.su, processId)
    expect(nonces(nodes)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(nodes[0]!.message!.id).toBe(processId)
    expect(tagValue(nodes[0]!.assignment.tags, 'Message')).toBeUndefined()
    expect(firstChainBreak(processId, nodes)).toBeUndefined()
    const a = nodes[3]!.assignment
    expect(a.tags.map((t) => t.name)).toEqual(['Process', 'Epoch', 'Nonce', 'Hash-Chain', 'Block-Height', 'Timestamp', 'Data-Protocol', 'Type', 'Variant', 'Message'])
    expect(tagValue(a.tags, 'Block-Height')).toMatch(/^\d{12}$/)
    // The assignment id is sha256 of its signature, and the item itself is on the gateway.
    expect(createHash('sha256').update(Buffer.from(a.signature, 'base64url')).digest('base64url')).toBe(a.id)
    const onGateway = await fetch(`${devnet.ready.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ transactions(ids: ["${a.id}"]) { edges { node { owner { address } tags { name value } } } } }` }),
    })
    const edge = ((await onGateway.json()) as { data: { transactions: { edges: { node: { owner: { address: string }; tags: unknown[] } }[] } } }).data.transactions.edges[0]
    expect(edge?.node.owner.address).toBe(devnet.ready.scheduler)
    expect(edge?.node.tags).toEqual(a.tags)
    // Single message, latest and the process record.
    const single = (await (await fetch(`${devnet.ready.su}/${nodes[5]!.message!.id}?process-id=${processId}`)).json()) as SuNode
    expect(single.assignment.id).toBe(nodes[5]!.assignment.id)
    const latest = (await (await fetch(`${devnet.ready.su}/${processId}/latest`)).json()) as SuNode
    expect(tagValue(latest.assignment.tags, 'Nonce')).toBe('9')
    const process = (await (await fetch(`${devnet.ready.su}/processes/${processId}`)).json()) as { process_id: string; block: string }
    expect(process.process_id).toBe(processId)
    expect(process.block).toMatch(/^\d{12}$/)
    // process-id is required, as on the real SU.
    expect((await fetch(`${devnet.ready.su}/${processId}`)).status).toBe(400)
    // Timestamp paging (what the Node CU uses): from exclusive, to inclusive, cursor = timestamp.
    const stamps = nodes.map((n) => Number(tagValue(n.assignment.tags, 'Timestamp')))
    const [from, to] = [stamps[2]!, stamps[7]!]
    const byTime = (await (await fetch(`${devnet.ready.su}/${processId}?process-id=${processId}&from=${from}&to=${to}`)).json()) as Page
    expect(byTime.edges.map((e) => Number(e.cursor))).toEqual(stamps.filter((t) => t > from && t <= to))
    // The redirect check CUs make answers in place (no router here).
    expect((await fetch(`${devnet.ready.su}/?process-id=${processId}`, { redirect: 'manual' })).status).toBe(200)
  })

  it('stamps processes as the real SU: the record carries its nonce-0 Timestamp and Block-Height, at mainnet heights GraphQL agrees with', async () => {
    const context = contextOf(devnet)
    const processId = await spawnProcess(context, context.deployer, module, 'stamp test')
    for (let i = 0; i < 2; i++) await sendMessage(context, context.users[0]!, processId, [{ name: 'Action', value: 'Info' }])
    const nodes = await log(devnet.ready.su, processId)
    const own = nodes[0]!.assignment.tags
    const record = (await (await fetch(`${devnet.ready.su}/processes/${processId}`)).json()) as { timestamp: number; block: string }
    // The official CU looks the process's first message up by this timestamp (425 when it differs).
    expect(record.timestamp).toBe(Number(tagValue(own, 'Timestamp')))
    expect(record.block).toBe(tagValue(own, 'Block-Height'))
    // Above the official CU's hash-chain threshold, so it checks devnet's chains.
    expect(Number(record.block)).toBeGreaterThanOrEqual(1_440_000)
    const blocksAt = async (height: number) => {
      const res = await fetch(`${devnet.ready.gateway}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ blocks(height: { min: ${height}, max: ${height} }) { edges { node { height timestamp } } } }` }),
      })
      return ((await res.json()) as { data: { blocks: { edges: { node: { height: number; timestamp: number } }[] } } }).data.blocks.edges.map((e) => e.node)
    }
    for (const node of nodes) {
      const height = Number(tagValue(node.assignment.tags, 'Block-Height'))
      const timestamp = Number(tagValue(node.assignment.tags, 'Timestamp'))
      expect(height).toBeGreaterThanOrEqual(1_440_000)
      // The height stamped is a block the gateway has, mined (in seconds) no later than the stamp.
      const [block, ...more] = await blocksAt(height)
      expect(more).toEqual([])
      expect(block!.height).toBe(height)
      expect(block!.timestamp).toBeLessThanOrEqual(Math.floor(timestamp / 1000))
    }
    // The process item is mined into that block or a later one, as on Arweave.
    const res = await fetch(`${devnet.ready.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ transactions(ids: ["${processId}"]) { edges { node { block { height } } } } }` }),
    })
    const mined = ((await res.json()) as { data: { transactions: { edges: { node: { block: { height: number } } }[] } } }).data.transactions.edges[0]!.node.block.height
    expect(mined).toBeGreaterThanOrEqual(Number(record.block))
  })

  it('answers the gateway calls a CU makes: network height, GraphQL blocks and process tags', async () => {
    const info = (await (await fetch(devnet.ready.gateway)).json()) as { height: number }
    expect(info.height).toBeGreaterThan(defaultStartHeight)
    const res = await fetch(`${devnet.ready.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ blocks(height: { min: 0 }, first: 90, sort: HEIGHT_ASC) { pageInfo { hasNextPage } edges { node { timestamp height } } } }' }),
    })
    const blocks = ((await res.json()) as { data: { blocks: { edges: { node: { timestamp: number; height: number } }[] } } }).data.blocks.edges.map((e) => e.node)
    expect(blocks.length).toBeGreaterThan(1)
    expect(blocks.map((b) => b.height)).toEqual([...blocks.map((b) => b.height)].sort((x, y) => x - y))
    // Block timestamps are in seconds, as on Arweave.
    expect(blocks.at(-1)!.timestamp).toBeLessThan(Date.now() / 100)
  })

  it('refuses garbage and messages for unknown processes with a readable error', async () => {
    const garbage = await fetch(devnet.ready.su, { method: 'POST', body: 'not a data item' })
    expect(garbage.status).toBe(400)
    expect(((await garbage.json()) as { error: string }).error).toMatch(/data item/)
    const stray = await signDataItem(devnet.wallets['user-0']!, { target: 'A'.repeat(43), tags: [{ name: 'Data-Protocol', value: 'ao' }, { name: 'Type', value: 'Message' }] })
    const res = await fetch(devnet.ready.mu, { method: 'POST', body: stray.raw })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toMatch(/scheduler/)
  })

  it('lets two processes exchange messages through the MU', async () => {
    const context = contextOf(devnet)
    const a = await spawnProcess(context, context.deployer, module, 'ping A')
    const b = await spawnProcess(context, context.deployer, module, 'ping B')
    const sent = await sendMessage(context, context.users[0]!, a, [{ name: 'Action', value: 'Send-Ping' }, { name: 'To', value: b }], 'hello B')
    // A's outbox Ping reaches B, B's Pong comes back to A: both through the MU and the SU.
    const pong = await eventually(async () => (await log(devnet.ready.su, a)).find((n) => tagValue(n.message?.tags ?? [], 'Action') === 'Pong'), 'the Pong on A')
    const ping = (await log(devnet.ready.su, b)).find((n) => tagValue(n.message?.tags ?? [], 'Action') === 'Ping')!
    expect(tagValue(ping.message!.tags, 'From-Process')).toBe(a)
    expect(tagValue(ping.message!.tags, 'Pushed-For')).toBe(sent)
    expect(ping.message!.owner.address).toBe(devnet.mu.address)
    expect(ping.message!.data).toBe('hello B')
    expect(tagValue(pong.message!.tags, 'From-Process')).toBe(b)
    expect(tagValue(pong.message!.tags, 'Ping-Id')).toBe(sent)
    const result = (await (await fetch(`${devnet.ready.cus[0]!.url}/result/${pong.message!.id}?process-id=${a}`)).json()) as { Output: string }
    expect(result.Output).toBe(`pong ${sent}`)
  })
})

describe('devnet faults', () => {
  let devnet: Devnet
  let module: string
  let original: Buffer

  beforeAll(async () => {
    devnet = await startTestDevnet({ suFaults: { breakChainAt: 3, skipNonceAt: 5 }, gatewayFaults: { wrongModuleBytes: true } })
    module = (await deployModules(contextOf(devnet), ['lua-token']))[0]!.id
    original = readFileSync(new URL('../processes/build/lua-token.wasm', import.meta.url))
  })
  afterAll(() => devnet?.stop())

  it('an SU that breaks its hash chain at nonce 3 and skips nonce 5 shows it in its log', async () => {
    const context = contextOf(devnet)
    const processId = await spawnProcess(context, context.deployer, module, 'faulty SU')
    for (let i = 0; i < 6; i++) await sendMessage(context, context.users[0]!, processId, [{ name: 'Action', value: 'Info' }])
    const nodes = await log(devnet.ready.su, processId)
    expect(nonces(nodes)).toEqual([0, 1, 2, 3, 4, 6, 7])
    expect(firstChainBreak(processId, nodes)).toBe(3)
  })

  it('a gateway that serves wrong module bytes', async () => {
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
    for (const path of [`/raw/${module}`, `/${module}`]) {
      const served = new Uint8Array(await (await fetch(`${devnet.ready.gateway}${path}`)).arrayBuffer())
      expect(served.length).toBe(original.length)
      expect(sha(served)).not.toBe(sha(original))
    }
  })
})

describe('devnet gateway heights', () => {
  it('starts a fresh network at the start height in one block, and resumes at its highest block', async () => {
    const dbDir = mkdtempSync(join(tmpdir(), 'holoscope-gateway-'))
    const wallets = await loadWallets(sharedWalletsDir, ['bundler', 'deployer'])
    const height = async (url: string) => ((await (await fetch(`${url}/info`)).json()) as { height: number }).height
    try {
      let gateway = await startGateway({ dbDir, bundler: wallets.bundler!, startHeight: 1_500_000 })
      expect(await height(gateway.url)).toBe(1_500_000)
      // Several blocks within one second: arlocal alone would resume from any of them.
      for (let i = 0; i < 4; i++) await gateway.postTransaction(wallets.deployer!, new TextEncoder().encode(`block ${i}`), [{ name: 'Note', value: String(i) }])
      expect(await height(gateway.url)).toBe(1_500_004)
      await gateway.stop()
      // arlocal caches its database handles by path for the process's life: restart on a copy.
      cpSync(dbDir, `${dbDir}-again`, { recursive: true })
      gateway = await startGateway({ dbDir: `${dbDir}-again`, bundler: wallets.bundler!, startHeight: 1_500_000 })
      expect(await height(gateway.url)).toBe(1_500_004)
      await gateway.postTransaction(wallets.deployer!, new TextEncoder().encode('after'), [])
      expect(await height(gateway.url)).toBe(1_500_005)
      await gateway.stop()
    } finally {
      rmSync(dbDir, { recursive: true, force: true })
      rmSync(`${dbDir}-again`, { recursive: true, force: true })
    }
  })
})

describe('npm run devnet', () => {
  it('writes the ready file, serves on loopback and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'holoscope-devnet-cli-'))
    cpSync(sharedWalletsDir, join(dir, 'wallets'), { recursive: true })
    const child = spawn(process.execPath, ['--import', 'tsx', 'devnet/main.ts', '--dir', dir, '--seed', 'none', '--gateway-port', '0', '--su-port', '0', '--mu-port', '0', '--cu-port', '0', '--cus', '2'], {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const readyFile = join(dir, 'ready.json')
      await eventually(async () => (existsSync(readyFile) ? true : undefined), `the ready file (stderr: ${stderr})`, 60_000)
      const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as { gateway: string; su: string; mu: string; cus: { url: string; address: string }[] }
      expect(ready.cus).toHaveLength(2)
      for (const url of [ready.gateway, ready.su, ready.mu, ...ready.cus.map((c) => c.url)]) {
        expect(new URL(url).hostname).toBe('127.0.0.1')
        expect((await fetch(url)).ok).toBe(true)
      }
      expect(((await (await fetch(ready.cus[1]!.url)).json()) as { address: string }).address).toBe(ready.cus[1]!.address)
      // Nothing answers on the machine's other addresses.
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)?.address
      if (outside) {
        for (const url of [ready.gateway, ready.su, ready.mu, ...ready.cus.map((c) => c.url)]) {
          await expect(fetch(`http://${outside}:${new URL(url).port}/`)).rejects.toThrow()
        }
      }
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(existsSync(readyFile)).toBe(false)
      await expect(fetch(ready.su)).rejects.toThrow()
    } finally {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
