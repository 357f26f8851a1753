import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadFixture } from '../../processes/loadFixture.ts'
import { tagValue } from '../../src/core/message/tagValue.ts'
import { toAoEnv } from '../../src/core/message/toAoEnv.ts'
import { buildAoMessage, toAoMessage } from '../../src/core/message/toAoMessage.ts'
import type { AoEnv, AoMessage, EvalResult, SuNode, SuProcess, Tag } from '../../src/core/message/types.ts'
import { moduleOptionsFromTags } from '../../src/core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../../src/eval/createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../../src/eval/node/spawnNodeWorker.ts'
import { graphql, startGateway, type Gateway } from '../gateway/startGateway.ts'
import { signDataItem } from '../lib/dataItems.ts'
import { loadWallets, type Wallet } from '../lib/wallets.ts'
import { startSu, type Su } from '../su/startSu.ts'
import { startCu, type Cu } from './startCu.ts'

const walletsDir = new URL('../../.devnet/wallets', import.meta.url).pathname
const names = ['bundler', 'su', 'su-1', 'cu-0', 'cu-1', 'cu-2', 'cu-3', 'deployer', 'user-0'] as const
type Page = { page_info: { has_next_page: boolean }; edges: { node: SuNode }[] }
type Node = { Messages: unknown[]; Spawns: unknown[]; Assignments: unknown[]; Output: unknown; Error?: unknown; GasUsed?: number }
type Connection = { pageInfo: { hasNextPage: boolean }; edges: { cursor: string; node: Node }[] }
type Checkpoint = { id: string; owner: { address: string }; tags: Tag[] }

const ao = (type: string): Tag[] => [
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'Variant', value: 'ao.TN.1' },
  { name: 'Type', value: type },
]

let dir: string
let wallets: Record<(typeof names)[number], Wallet>
let gateway: Gateway
let su: Su
let brokenSu: Su
let moduleId: string
let moduleTags: Tag[]
let wasm: Uint8Array
const cus: Cu[] = []

/** Signs a Type=Process item and schedules it directly on an SU; returns the process id. */
async function spawn(suUrl: string, scheduler: string, tags: Tag[] = [], module = moduleId): Promise<string> {
  const item = await signDataItem(wallets.deployer, {
    data: 'holoscope',
    tags: [...ao('Process'), { name: 'Module', value: module }, { name: 'Scheduler', value: scheduler }, { name: 'Name', value: 'CU Test Token' }, ...tags],
  })
  await post(`${suUrl}/`, item.raw)
  return item.id
}

/** Signs a Type=Message item to `process` and schedules it directly on an SU; returns its id. */
async function send(suUrl: string, process: string, from: Wallet, tags: Tag[], data = ''): Promise<string> {
  const item = await signDataItem(from, { target: process, data, tags: [...ao('Message'), ...tags] })
  await post(`${suUrl}/`, item.raw)
  return item.id
}

async function post(url: string, body?: Uint8Array<ArrayBuffer>): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, ...(body ? { body } : {}) })
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`)
  return res.json()
}

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init)
  return { status: res.status, body: await res.json() }
}

const dryRun = (cu: Cu, processId: string, body: object, to?: string) =>
  getJson(`${cu.url}/dry-run?process-id=${processId}${to ? `&to=${to}` : ''}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function suLog(suUrl: string, processId: string): Promise<SuNode[]> {
  const nodes: SuNode[] = []
  for (;;) {
    const from = nodes.length ? `&from-nonce=${nonce(nodes.at(-1)!)}` : ''
    const page = (await (await fetch(`${suUrl}/${processId}?process-id=${processId}&limit=5${from}`)).json()) as Page
    nodes.push(...page.edges.map((e) => e.node))
    if (!page.page_info.has_next_page || page.edges.length === 0) return nodes
  }
}

const nonce = (node: SuNode) => Number(tagValue(node.assignment.tags, 'Nonce'))
const assignmentTag = (node: SuNode, name: string) => tagValue(node.assignment.tags, name)!
const messageIdOf = (node: SuNode) => node.message?.id ?? assignmentTag(node, 'Message')

/** The test's own hydration of an assignment: GraphQL meta and /raw data from the gateway. */
async function hydrate(node: SuNode): Promise<AoMessage> {
  if (node.message) return toAoMessage(node)
  const id = assignmentTag(node, 'Message')
  const data = (await graphql(gateway.url, 'query($ids:[ID!]){transactions(ids:$ids){edges{node{id signature anchor owner{address key} tags{name value} recipient}}}}', {
    ids: [id],
  })) as { transactions: { edges: { node: { id: string; signature: string; anchor: string; owner: { address: string; key: string }; tags: Tag[]; recipient: string } }[] } }
  const meta = data.transactions.edges[0]!.node
  const text = await (await fetch(`${gateway.url}/raw/${id}`)).text()
  return toAoMessage(node, { ...meta, data: text })
}

/** Only the fields of a result a CU answers with. */
function nodeOf(result: EvalResult): Node {
  return {
    Messages: result.Messages,
    Spawns: result.Spawns,
    Assignments: result.Assignments,
    Output: result.Output,
    ...(result.Error === undefined ? {} : { Error: result.Error }),
    ...(result.GasUsed === undefined ? {} : { GasUsed: result.GasUsed }),
  }
}

/** Two memories agree: equal up to the shorter length, zeros beyond (heaps grow differently). */
function sameMemory(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.byteLength, b.byteLength)
  const view = (m: Uint8Array, start: number, end: number) => Buffer.from(m.buffer, m.byteOffset + start, end - start)
  if (!view(a, 0, n).equals(view(b, 0, n))) return false
  const longer = a.byteLength > n ? a : b
  return view(longer, n, longer.byteLength).equals(Buffer.alloc(longer.byteLength - n))
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function stateOf(cu: Cu, processId: string, to?: number) {
  const res = await fetch(`${cu.url}/state/${processId}${to === undefined ? '' : `?to=${to}`}`)
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
}

async function checkpointsOf(owner: string, processId: string): Promise<Checkpoint[]> {
  const data = (await graphql(
    gateway.url,
    `query($owners:[String!], $process:String!){transactions(owners:$owners, tags:[{name:"Process", values:[$process]},{name:"Type", values:["Checkpoint"]},{name:"Data-Protocol", values:["ao"]}], first: 50, sort: HEIGHT_DESC){edges{node{id owner{address} tags{name value}}}}}`,
    { owners: [owner], process: processId },
  )) as { transactions: { edges: { node: Checkpoint }[] } }
  return data.transactions.edges.map((e) => e.node)
}

/** Polls until the CU has uploaded checkpoints at `nonces`; returns them by nonce. */
async function waitForCheckpoints(owner: string, processId: string, nonces: number[]): Promise<Map<number, Checkpoint>> {
  const until = Date.now() + 30_000
  for (;;) {
    const found = new Map((await checkpointsOf(owner, processId)).map((c) => [Number(tagValue(c.tags, 'Nonce')), c]))
    if (nonces.every((n) => found.has(n))) return found
    if (Date.now() > until) throw new Error(`checkpoints at nonces ${nonces.join(', ')} of ${processId} by ${owner} did not appear (found ${[...found.keys()].join(', ') || 'none'})`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

async function checkpointBody(checkpoint: Checkpoint): Promise<Uint8Array> {
  const res = await fetch(`${gateway.url}/raw/${checkpoint.id}`)
  expect(res.ok).toBe(true)
  return new Uint8Array(gunzipSync(new Uint8Array(await res.arrayBuffer())))
}

// Process A: a token log with errored messages (3, 5) and an assignment of an L1 transaction (10).
let processA: string
let logA: SuNode[]
const erroredA = [3, 5]
/** The independent evaluation of A: result, memory and dry-run answers per nonce. */
const reference = { results: [] as EvalResult[], memory: new Map<number, Uint8Array>(), balance: new Map<number, EvalResult>(), balances: new Map<number, EvalResult>() }
const balanceQuery = () => ({ Id: '1234', Owner: wallets['user-0'].address, Target: processA, Anchor: '0', Data: '1234', Tags: [...ao('Message'), { name: 'Action', value: 'Balance' }, { name: 'Target', value: wallets.deployer.address }] })
const balancesQuery = () => ({ Id: '1234', Owner: wallets['user-0'].address, Tags: [...ao('Message'), { name: 'Action', value: 'Balances' }] })
const timestampOf = (n: number) => Number(assignmentTag(logA[n]!, 'Timestamp'))

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'holoscope-cu-'))
  wallets = await loadWallets(walletsDir, names)
  gateway = await startGateway({ dbDir: dir, bundler: wallets.bundler })
  su = await startSu({ wallet: wallets.su, gateway })
  brokenSu = await startSu({ wallet: wallets['su-1'], gateway, faults: { breakChainAt: 3 } })
  const fixture = await loadFixture('lua-token')
  wasm = fixture.wasm
  moduleTags = fixture.tags
  moduleId = await gateway.postTransaction(wallets.deployer, fixture.wasm, fixture.tags)

  const { deployer } = wallets
  const user = wallets['user-0']
  processA = await spawn(su.url, su.address)
  await send(su.url, processA, deployer, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: user.address }, { name: 'Quantity', value: '100' }])
  await send(su.url, processA, user, [{ name: 'Action', value: 'Balance' }])
  await send(su.url, processA, deployer, [{ name: 'Action', value: 'Transfer' }, { name: 'Quantity', value: '5' }])
  await send(su.url, processA, deployer, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: su.address }, { name: 'Quantity', value: '7' }])
  await send(su.url, processA, deployer, [{ name: 'Action', value: 'Fail' }])
  await send(su.url, processA, user, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: deployer.address }, { name: 'Quantity', value: '1000' }])
  await send(su.url, processA, user, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: deployer.address }, { name: 'Quantity', value: '5' }, { name: 'X-Note', value: 'thanks' }])
  await send(su.url, processA, user, [{ name: 'Action', value: 'Balances' }])
  await send(su.url, processA, deployer, [{ name: 'Action', value: 'Mint' }, { name: 'Quantity', value: '50' }])
  const l1 = await gateway.postTransaction(user, new TextEncoder().encode('from layer 1'), [...ao('Message'), { name: 'Action', value: 'Balance' }])
  await post(`${su.url}/?process-id=${processA}&assign=${l1}`)
  await send(su.url, processA, deployer, [{ name: 'Action', value: 'Info' }])
  logA = await suLog(su.url, processA)

  // The reference: the same log through the CU-way evaluator (memory copied in and out).
  const process = (await (await fetch(`${su.url}/processes/${processA}`)).json()) as SuProcess
  const env: AoEnv = toAoEnv(process, { id: moduleId, owner: { address: deployer.address, key: deployer.jwk.n }, tags: moduleTags })
  const evaluator = await createWorkerEvaluator(spawnNodeWorker, wasm, moduleOptionsFromTags(moduleTags, process.tags), { mode: 'cu' })
  try {
    for (const node of logA) {
      const n = nonce(node)
      const [step] = await evaluator.evaluate([await hydrate(node)], env)
      reference.results[n] = step!.result
      if ([2, 4, 6, 8, logA.length - 1].includes(n)) {
        reference.memory.set(n, (await evaluator.snapshot()).memory)
        const at = { Timestamp: timestampOf(n), 'Block-Height': Number(assignmentTag(node, 'Block-Height')), Cron: false, Target: processA }
        const query = (body: ReturnType<typeof balancesQuery>) => buildAoMessage({ ...at, ...body, From: body.Owner, 'Read-Only': true })
        reference.balance.set(n, await evaluator.query(query(balanceQuery()), env))
        reference.balances.set(n, await evaluator.query(query(balancesQuery()), env))
      }
    }
  } finally {
    evaluator.terminate()
  }
})

afterAll(async () => {
  await Promise.all(cus.map((cu) => cu.stop()))
  await brokenSu?.stop()
  await su?.stop()
  await gateway?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function newCu(options: Omit<Parameters<typeof startCu>[0], 'gatewayUrl'>): Promise<Cu> {
  const cu = await startCu({ gatewayUrl: gateway.url, ...options })
  cus.push(cu)
  return cu
}

/** An honest CU of its own for one test (a fresh cache: nothing evaluated yet). */
const newHonestCu = (wallet: Wallet = wallets['cu-0']) => newCu({ wallet, checkpointEvery: 4 })

describe('CU', () => {
  it('answers result, results, dry-run and state as an independent evaluation of the same log', async () => {
    const honest = await newHonestCu()
    const health = (await getJson(`${honest.url}/`)).body as { address: string; timestamp: number }
    expect(health.address).toBe(wallets['cu-0'].address)
    expect(typeof health.timestamp).toBe('number')

    // Nothing evaluated yet: /results does not evaluate.
    expect(((await getJson(`${honest.url}/results/${processA}`)).body as Connection).edges).toEqual([])
    expect(logA.map(nonce)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(logA[10]!.message).toBeNull()

    for (const node of logA) {
      const { status, body } = await getJson(`${honest.url}/result/${messageIdOf(node)}?process-id=${processA}`)
      expect(status, `nonce ${nonce(node)}`).toBe(200)
      expect(body, `nonce ${nonce(node)}`).toEqual(nodeOf(reference.results[nonce(node)]!))
    }
    for (const n of erroredA) expect(reference.results[n]!.Error).toBeDefined()
    expect(JSON.stringify(reference.results[10]!.Messages)).toContain('Balance-Response')

    // /results: the cached results without the errored ones, in order, with CU cursors.
    const all = (await getJson(`${honest.url}/results/${processA}?limit=100`)).body as Connection
    const succeeded = logA.map(nonce).filter((n) => !erroredA.includes(n))
    expect(all.pageInfo.hasNextPage).toBe(false)
    expect(all.edges.map((e) => e.node)).toEqual(succeeded.map((n) => nodeOf(reference.results[n]!)))
    expect(JSON.parse(atob(all.edges[1]!.cursor))).toEqual({ timestamp: timestampOf(1), ordinate: '1', cron: false, sort: 'ASC' })
    const first = (await getJson(`${honest.url}/results/${processA}?limit=4`)).body as Connection
    expect(first.pageInfo.hasNextPage).toBe(true)
    const rest = (await getJson(`${honest.url}/results/${processA}?from=${encodeURIComponent(first.edges[3]!.cursor)}`)).body as Connection
    expect([...first.edges, ...rest.edges].map((e) => e.cursor)).toEqual(all.edges.map((e) => e.cursor))
    const desc = (await getJson(`${honest.url}/results/${processA}?sort=DESC&to=${timestampOf(6)}`)).body as Connection
    expect(desc.edges.map((e) => e.node)).toEqual([6, 4, 2, 1, 0].map((n) => nodeOf(reference.results[n]!)))
    const between = (await getJson(`${honest.url}/results/${processA}?from=${timestampOf(1)}&to=${encodeURIComponent(all.edges[5]!.cursor)}`)).body as Connection
    expect(between.edges.map((e) => e.node)).toEqual([2, 4, 6, 7].map((n) => nodeOf(reference.results[n]!)))

    // Dry-runs at the latest state, and at earlier ones (from a kept checkpoint, and from scratch).
    const last = logA.length - 1
    expect((await dryRun(honest, processA, balanceQuery())).body).toEqual(nodeOf(reference.balance.get(last)!))
    expect((await dryRun(honest, processA, balancesQuery())).body).toEqual(nodeOf(reference.balances.get(last)!))
    for (const n of [6, 2]) {
      const { status, body } = await dryRun(honest, processA, balanceQuery(), messageIdOf(logA[n]!))
      expect(status).toBe(200)
      expect(body, `dry-run at nonce ${n}`).toEqual(nodeOf(reference.balance.get(n)!))
    }
    expect(reference.balance.get(2)).not.toEqual(reference.balance.get(last))

    // State: latest, and at a timestamp.
    const latest = await stateOf(honest, processA)
    expect(latest.res.headers.get('content-type')).toBe('application/octet-stream')
    expect(latest.res.headers.get('last-ordinate')).toBe(String(last))
    expect(latest.res.headers.get('last-timestamp')).toBe(String(timestampOf(last)))
    expect(latest.res.headers.get('last-block-height')).toBe(String(Number(assignmentTag(logA[last]!, 'Block-Height'))))
    expect(latest.res.headers.get('access-control-expose-headers')).toBeNull()
    expect(sameMemory(latest.bytes, reference.memory.get(last)!)).toBe(true)
    const at6 = await stateOf(honest, processA, timestampOf(6))
    expect(at6.res.headers.get('last-ordinate')).toBe('6')
    expect(sameMemory(at6.bytes, reference.memory.get(6)!)).toBe(true)
    expect(sameMemory(at6.bytes, latest.bytes)).toBe(false)
  })

  it('uploads a signed checkpoint every K nonces, tagged as the real CU, whose body is the state', async () => {
    // A wallet no other test's CU uploads with, so that every checkpoint it signs is this CU's.
    const honest = await newHonestCu(wallets['cu-3'])
    const lastNode = logA.at(-1)!
    expect((await getJson(`${honest.url}/result/${messageIdOf(lastNode)}?process-id=${processA}`)).status).toBe(200)
    const found = await waitForCheckpoints(wallets['cu-3'].address, processA, [4, 8])
    expect([...found.keys()].sort((a, b) => a - b)).toEqual([4, 8])
    const checkpoint = found.get(4)!
    const node = logA[4]!
    expect(checkpoint.owner.address).toBe(wallets['cu-3'].address)
    expect(checkpoint.tags.map((t) => t.name)).toEqual([
      'Data-Protocol', 'Variant', 'Type', 'Module', 'Process', 'Nonce', 'Timestamp', 'Block-Height', 'Content-Type', 'SHA-256',
      'Content-Encoding', 'Unit-Identifier', 'Ordinate', 'Assignment', 'Hash-Chain',
    ])
    const tag = (name: string) => tagValue(checkpoint.tags, name)
    expect([tag('Data-Protocol'), tag('Variant'), tag('Type'), tag('Module'), tag('Process'), tag('Nonce'), tag('Ordinate')]).toEqual(['ao', 'ao.TN.1', 'Checkpoint', moduleId, processA, '4', '4'])
    expect(tag('Timestamp')).toBe(String(timestampOf(4)))
    expect(tag('Block-Height')).toBe(String(Number(assignmentTag(node, 'Block-Height'))))
    expect([tag('Content-Type'), tag('Content-Encoding')]).toEqual(['application/octet-stream', 'gzip'])
    expect([tag('Assignment'), tag('Hash-Chain')]).toEqual([node.assignment.id, assignmentTag(node, 'Hash-Chain')])
    expect(tag('Unit-Identifier')).toMatch(/^[0-9a-f-]{36}$/)
    expect(tagValue(found.get(8)!.tags, 'Unit-Identifier')).toBe(tag('Unit-Identifier'))

    const memory = await checkpointBody(checkpoint)
    expect(sha256(memory)).toBe(tag('SHA-256'))
    expect(sameMemory(memory, reference.memory.get(4)!)).toBe(true)
    const state = await stateOf(honest, processA, timestampOf(4))
    expect(state.res.headers.get('last-ordinate')).toBe('4')
    expect(Buffer.from(state.bytes).equals(Buffer.from(memory))).toBe(true)
    const at8 = await checkpointBody(found.get(8)!)
    expect(sha256(at8)).toBe(tagValue(found.get(8)!.tags, 'SHA-256'))
    expect(sameMemory(at8, reference.memory.get(8)!)).toBe(true)
  })

  it('lies from nonce N on when told to, only in what it reports, and not before N', async () => {
    const lieFrom = 6
    const liar = await newCu({ wallet: wallets['cu-1'], checkpointEvery: 4, faults: { lieFrom, lies: ['output', 'messages', 'dryrun-balance', 'checkpoint-sha'] } })
    for (const node of logA) {
      const n = nonce(node)
      const body = (await getJson(`${liar.url}/result/${messageIdOf(node)}?process-id=${processA}`)).body as Node
      const honestNode = nodeOf(reference.results[n]!)
      if (n < lieFrom) expect(body, `nonce ${n}`).toEqual(honestNode)
      else {
        expect(body.Output, `Output at nonce ${n}`).not.toEqual(honestNode.Output)
        expect(body.Messages, `Messages at nonce ${n}`).not.toEqual(honestNode.Messages)
        expect(body.Spawns).toEqual(honestNode.Spawns)
      }
    }
    const listed = (await getJson(`${liar.url}/results/${processA}?limit=100`)).body as Connection
    const succeeded = logA.map(nonce).filter((n) => !erroredA.includes(n))
    expect(listed.edges).toHaveLength(succeeded.length)
    listed.edges.forEach((edge, i) => {
      const n = succeeded[i]!
      if (n < lieFrom) expect(edge.node).toEqual(nodeOf(reference.results[n]!))
      else expect(edge.node.Output).not.toEqual(reference.results[n]!.Output)
    })

    // Dry-runs on a state at nonce ≥ N misreport balances; on an earlier state they do not.
    const last = logA.length - 1
    const balanceOf = (result: unknown) => tagValue(((result as Node).Messages[0] as { Tags: Tag[] }).Tags, 'Balance')
    const lied = (await dryRun(liar, processA, balanceQuery())).body as Node
    expect(balanceOf(lied)).not.toBe(balanceOf(reference.balance.get(last)))
    expect(((await dryRun(liar, processA, balancesQuery())).body as Node).Messages).not.toEqual(reference.balances.get(last)!.Messages)
    expect((await dryRun(liar, processA, balanceQuery(), messageIdOf(logA[4]!))).body).toEqual(nodeOf(reference.balance.get(4)!))
    expect((await dryRun(liar, processA, balancesQuery(), messageIdOf(logA[4]!))).body).toEqual(nodeOf(reference.balances.get(4)!))

    // Its state stays honest; its checkpoint at nonce ≥ N claims a wrong SHA-256 for the right body.
    expect(sameMemory((await stateOf(liar, processA)).bytes, reference.memory.get(last)!)).toBe(true)
    const found = await waitForCheckpoints(wallets['cu-1'].address, processA, [4, 8])
    const [at4, at8] = [await checkpointBody(found.get(4)!), await checkpointBody(found.get(8)!)]
    expect(sha256(at4)).toBe(tagValue(found.get(4)!.tags, 'SHA-256'))
    expect(sha256(at8)).not.toBe(tagValue(found.get(8)!.tags, 'SHA-256'))
    expect(sameMemory(at8, reference.memory.get(8)!)).toBe(true)
  })

  it('delays every response and fails every route but GET / with failStatus', async () => {
    const delayMs = 1500
    const failing = await newCu({ wallet: wallets['cu-2'], faults: { delayMs, failStatus: 503 } })
    const health = fetch(`${failing.url}/`)
    const first = await Promise.race([health.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('pending'), delayMs / 3))])
    expect(first).toBe('pending')
    const answers = await Promise.all([
      getJson(`${failing.url}/result/${messageIdOf(logA[1]!)}?process-id=${processA}`),
      getJson(`${failing.url}/results/${processA}`),
      getJson(`${failing.url}/state/${processA}`),
      dryRun(failing, processA, balanceQuery()),
    ])
    for (const answer of answers) {
      expect(answer.status).toBe(503)
      expect(typeof (answer.body as { error: unknown }).error).toBe('string')
    }
    const res = await health
    expect(res.status).toBe(200)
    expect(((await res.json()) as { address: string }).address).toBe(wallets['cu-2'].address)
  })

  it('answers fail-status to its first K requests only (with Retry-After when told), then honestly; GET / is never refused', async () => {
    const limited = await newCu({ wallet: wallets['cu-2'], faults: { failStatus: 429, failFirst: 2, retryAfter: 3 } })
    expect((await fetch(`${limited.url}/`)).status).toBe(200)
    const url = `${limited.url}/result/${messageIdOf(logA[1]!)}?process-id=${processA}`
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url)
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('3')
      expect(((await res.json()) as { error: string }).error).toBe('this CU answers 429 to its first 2 requests (fault)')
    }
    const honestNow = await fetch(url)
    expect(honestNow.status).toBe(200)
    expect(await honestNow.json()).toEqual(nodeOf(reference.results[1]!))

    // Without Retry-After, and other statuses (422: "cannot evaluate"), for every request.
    for (const failStatus of [429, 422]) {
      const failing = await newCu({ wallet: wallets['cu-2'], faults: { failStatus } })
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${failing.url}/result/${messageIdOf(logA[1]!)}?process-id=${processA}`)
        expect(res.status).toBe(failStatus)
        expect(res.headers.get('retry-after')).toBeNull()
      }
    }
  })

  it('answers 425 for results, dry-runs and states before nonce N (uncached-below), as the official CU for messages it no longer has', async () => {
    const forgetful = await newCu({ wallet: wallets['cu-2'], faults: { uncachedBelow: 6 } })
    const old = await getJson(`${forgetful.url}/result/${messageIdOf(logA[3]!)}?process-id=${processA}`)
    expect(old).toEqual({ status: 425, body: { error: 'message at nonce 3 not found cached, and earlier than latest known nonce 6' } })
    expect(await getJson(`${forgetful.url}/result/${messageIdOf(logA[7]!)}?process-id=${processA}`)).toEqual({ status: 200, body: nodeOf(reference.results[7]!) })
    expect((await dryRun(forgetful, processA, balanceQuery(), messageIdOf(logA[2]!))).status).toBe(425)
    expect((await dryRun(forgetful, processA, balanceQuery(), messageIdOf(logA[8]!))).body).toEqual(nodeOf(reference.balance.get(8)!))
    expect((await stateOf(forgetful, processA, timestampOf(4))).res.status).toBe(425)
    const at8 = await stateOf(forgetful, processA, timestampOf(8))
    expect(at8.res.status).toBe(200)
    expect(sameMemory(at8.bytes, reference.memory.get(8)!)).toBe(true)
  })

  it('answers /state with 202 (still evaluating) K times (state-202-times), then the state', async () => {
    const busy = await newCu({ wallet: wallets['cu-2'], faults: { state202Times: 2 } })
    for (let i = 0; i < 2; i++) {
      const { res, bytes } = await stateOf(busy, processA, timestampOf(6))
      expect(res.status).toBe(202)
      expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({ message: `Evaluation of process "${processA}" to "${timestampOf(6)}" is in progress.` })
    }
    const ready = await stateOf(busy, processA, timestampOf(6))
    expect(ready.res.status).toBe(200)
    expect(ready.res.headers.get('last-ordinate')).toBe('6')
    expect(sameMemory(ready.bytes, reference.memory.get(6)!)).toBe(true)
    // Results are not delayed by it.
    expect((await getJson(`${busy.url}/result/${messageIdOf(logA[2]!)}?process-id=${processA}`)).body).toEqual(nodeOf(reference.results[2]!))
  })

  it('stops at a broken hash chain: 422 for everything from the break on, earlier states still served', async () => {
    const honest = await newHonestCu()
    const processB = await spawn(brokenSu.url, brokenSu.address)
    const ids = [processB]
    for (let i = 1; i <= 4; i++) ids.push(await send(brokenSu.url, processB, wallets.deployer, [{ name: 'Action', value: 'Info' }]))
    const logB = await suLog(brokenSu.url, processB)
    const expected = { error: `HashChain invalid on message ${ids[3]}` }
    expect(await getJson(`${honest.url}/result/${ids[2]}?process-id=${processB}`)).toMatchObject({ status: 200, body: { Output: '' } })
    expect(await getJson(`${honest.url}/result/${ids[4]}?process-id=${processB}`)).toEqual({ status: 422, body: expected })
    expect(await getJson(`${honest.url}/result/${ids[3]}?process-id=${processB}`)).toEqual({ status: 422, body: expected })
    expect(await dryRun(honest, processB, { Owner: wallets.deployer.address, Tags: [{ name: 'Action', value: 'Info' }] })).toEqual({ status: 422, body: expected })
    const state = await stateOf(honest, processB)
    expect(state.res.status).toBe(422)
    expect(JSON.parse(new TextDecoder().decode(state.bytes))).toEqual(expected)
    // Before the break: served.
    const early = await dryRun(honest, processB, { Owner: wallets.deployer.address, Tags: [{ name: 'Action', value: 'Info' }] }, ids[1])
    expect(early.status).toBe(200)
    expect(JSON.stringify(early.body)).toContain('Info-Response')
    const before = await stateOf(honest, processB, Number(assignmentTag(logB[2]!, 'Timestamp')))
    expect(before.res.status).toBe(200)
    expect(before.res.headers.get('last-ordinate')).toBe('2')
    const results = (await getJson(`${honest.url}/results/${processB}`)).body as Connection
    expect(results.edges).toHaveLength(3)
  })

  it('counts a message that runs too long as errored and goes on from the state before it (CU-style evaluator)', async () => {
    // A limit far above an ordinary message's time on a busy machine: the endless one still meets it.
    const slow = await newCu({ wallet: wallets['cu-2'], mode: 'cu', messageTimeoutMs: 15_000 })
    const processE = await spawn(su.url, su.address)
    const transfer = await send(su.url, processE, wallets.deployer, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: wallets['user-0'].address }, { name: 'Quantity', value: '42' }])
    const spin = await send(su.url, processE, wallets.deployer, [{ name: 'Action', value: 'Spin' }])
    const balance = await send(su.url, processE, wallets['user-0'], [{ name: 'Action', value: 'Balance' }])
    expect((await getJson(`${slow.url}/result/${transfer}?process-id=${processE}`)).status).toBe(200)
    const spun = await getJson(`${slow.url}/result/${spin}?process-id=${processE}`)
    expect(spun.status).toBe(200)
    expect(String((spun.body as Node).Error)).toMatch(/did not finish within 15\.0 s/)
    const after = (await getJson(`${slow.url}/result/${balance}?process-id=${processE}`)).body as Node
    expect(tagValue((after.Messages[0] as { Tags: Tag[] }).Tags, 'Balance')).toBe('42')
    expect(((await getJson(`${slow.url}/results/${processE}`)).body as Connection).edges).toHaveLength(3)
  })

  it('refuses processes it cannot run: 422 for an unsupported format, 413 for limits, 400/404 for bad requests', async () => {
    const honest = await newHonestCu()
    const oddModule = await gateway.postTransaction(
      wallets.deployer,
      new TextEncoder().encode('not a module'),
      moduleTags.map((t) => (t.name === 'Module-Format' ? { ...t, value: 'wasm32-unknown-cobol' } : t)),
    )
    const odd = await spawn(su.url, su.address, [], oddModule)
    const format = await getJson(`${honest.url}/result/${odd}?process-id=${odd}`)
    expect(format.status).toBe(422)
    expect((format.body as { error: string }).error).toMatch(/Module-Format "wasm32-unknown-cobol" is not supported/)

    const huge = await spawn(su.url, su.address, [{ name: 'Memory-Limit', value: '4-gb' }])
    for (const answer of [await getJson(`${honest.url}/result/${huge}?process-id=${huge}`), await dryRun(honest, huge, balanceQuery())]) {
      expect(answer.status).toBe(413)
      expect((answer.body as { error: string }).error).toMatch(/Memory-Limit 4-gb is above/)
    }

    expect(await getJson(`${honest.url}/result/${processA}`)).toEqual({ status: 400, body: { error: 'process-id is required' } })
    const unknown = await getJson(`${honest.url}/result/${'x'.repeat(43)}?process-id=${processA}`)
    expect(unknown.status).toBe(404)
    expect(Object.keys(unknown.body as object)).toEqual(['error'])
    expect((await getJson(`${honest.url}/results/${processA}?sort=UP`)).status).toBe(400)
  })
})
