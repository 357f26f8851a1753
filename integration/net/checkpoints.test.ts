import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memorySha256, signCheckpoint } from '../../devnet/cu/signCheckpoint.ts'
import { signDataItem, type ParsedItem } from '../../devnet/lib/dataItems.ts'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../../devnet/seed.ts'
import type { Devnet } from '../../devnet/startDevnet.ts'
import { eventually, startTestDevnet } from '../../devnet/testing.ts'
import { compareMemory } from '../../src/core/verify/compareMemory.ts'
import type { CheckpointClaim } from '../../src/core/checkpoint/checkpointClaim.ts'
import { CheckpointBodyError } from '../../src/net/checkpointBodyError.ts'
import { checkpointMemorySha } from '../../src/net/checkpointMemorySha.ts'
import { discoverCheckpoints, type CheckpointDiscovery } from '../../src/net/discoverCheckpoints.ts'
import { verifyCheckpointItem } from '../../src/net/verifyCheckpointItem.ts'
import { fetchResult } from '../../src/net/cu.ts'
import { fetchCuState } from '../../src/net/cuState.ts'

/** The honest CU and the one that lies in the SHA-256 tag of its checkpoints from nonce 8 on. */
const lieFrom = 8
const nonces = [4, 8, 12]

let devnet: Devnet
let processId: string
let moduleId: string
let honest: string
let liar: string
/** A checkpoint-like item signed by a user wallet, kept whole, to serve as a gateway serving raw items would. */
let extra: ParsedItem
let discovery: CheckpointDiscovery

const at = (owner: string, nonce: number) => discovery.claims.find((c) => c.owner === owner && c.nonce === nonce)!

/** Runs `work` with `fetch` answering `/raw/{id}` of the gateway through `serve` (other URLs untouched). */
async function withRaw<T>(id: string, serve: (original: Response) => Promise<Response>, work: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input)
    const response = await original(input, init)
    return url === `${devnet.gateway.url}/raw/${id}` ? serve(response) : response
  }) as typeof fetch
  try {
    return await work()
  } finally {
    globalThis.fetch = original
  }
}

const flipByte = (bytes: Uint8Array, index: number) => {
  const copy = bytes.slice()
  copy[index]! ^= 0x01
  return copy
}

beforeAll(async () => {
  devnet = await startTestDevnet({ cus: 2, checkpointEvery: 4, cuFaults: [undefined, { lieFrom, lies: ['checkpoint-sha'] }] })
  ;[honest, liar] = devnet.ready.cus.map((cu) => cu.address) as [string, string]
  const wallets = devnet.wallets
  const context: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: wallets['deployer']!, users: [] }
  moduleId = (await deployModules(context, ['lua-token']))[0]!.id
  processId = await spawnProcess(context, wallets['deployer']!, moduleId, 'checkpoints test')
  let last = ''
  for (let i = 1; i <= 12; i++) {
    const tags = i % 3 === 0 ? [{ name: 'Action', value: 'Info' }] : [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: wallets[`user-${i % 4}`]!.address }, { name: 'Quantity', value: String(1000 * i) }]
    last = await sendMessage(context, wallets['deployer']!, processId, tags)
    // Distinct SU timestamps, so a state asked for by timestamp is the state after one nonce.
    await new Promise((resolve) => setTimeout(resolve, 3))
  }
  await devnet.mu.idle()
  for (const cu of devnet.ready.cus) await fetchResult(cu.url, processId, last)

  // Claims that are not checkpoints a CU could load: one without SHA-256, one with a bad Nonce.
  const base = [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: 'Checkpoint' },
    { name: 'Module', value: moduleId },
    { name: 'Process', value: processId },
  ]
  const malformed = [
    await signDataItem(wallets['user-0']!, { data: 'x', tags: [...base, { name: 'Nonce', value: '3' }, { name: 'Timestamp', value: '1' }, { name: 'Block-Height', value: '1' }] }),
    await signDataItem(wallets['user-0']!, { data: 'x', tags: [...base, { name: 'Nonce', value: 'three' }, { name: 'Timestamp', value: '1' }, { name: 'Block-Height', value: '1' }, { name: 'SHA-256', value: 'ab'.repeat(32) }] }),
  ]
  const memory = Uint8Array.from({ length: 70_000 }, (_, i) => (i % 97 === 0 ? i & 0xff : 0))
  extra = await signCheckpoint(wallets['user-1']!, { moduleId, processId, nonce: 2, timestamp: 2, blockHeight: 2, unitId: 'test', assignmentId: processId, hashChain: undefined }, memory)
  await devnet.gateway.upload([...malformed.map((m) => m.raw), extra.raw])

  discovery = await eventually(async () => {
    const found = await discoverCheckpoints(devnet.gateway.url, processId)
    return found.claims.filter((c) => c.owner === honest || c.owner === liar).length >= 6 ? found : undefined
  }, 'both CUs’ checkpoints at nonces 4, 8 and 12')
})

afterAll(async () => {
  await devnet?.stop()
})

describe('discoverCheckpoints', () => {
  it('finds the checkpoints of the honest and the lying CU, owned by their wallets, read from their tags', () => {
    for (const owner of [honest, liar]) {
      expect(discovery.claims.filter((c) => c.owner === owner).map((c) => c.nonce)).toEqual(nonces)
    }
    const claim = at(honest, 8)
    expect(claim).toMatchObject({ processId, moduleId, nonce: 8, ordinate: '8', encoding: 'gzip', epoch: undefined })
    expect(claim.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(claim.timestamp).toBeGreaterThan(0)
    expect(claim.hashChain).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(claim.assignmentId).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(claim.ownerKey).toBeDefined()
    expect(claim.signature).toBeDefined()
    // The liar's claims are about the same points in the log.
    expect([at(liar, 8).timestamp, at(liar, 8).assignmentId]).toEqual([claim.timestamp, claim.assignmentId])
  })

  it('skips claims that are not checkpoints a CU could load, saying why', () => {
    const reasons = discovery.skipped.map((s) => s.reason)
    expect(reasons).toContain('its SHA-256 tag is missing')
    expect(reasons).toContain('its Nonce tag is "three", not a whole number')
    expect(discovery.skipped.every((s) => s.owner === devnet.wallets['user-0']!.address)).toBe(true)
    expect(discovery.claims.map((c) => c.owner)).not.toContain(devnet.wallets['user-0']!.address)
  })

  it('filters by owner and reads every page', async () => {
    const onlyLiar = await discoverCheckpoints(devnet.gateway.url, processId, { owners: [liar] })
    expect(onlyLiar.claims.map((c) => [c.owner, c.nonce])).toEqual(nonces.map((n) => [liar, n]))
    const paged = await discoverCheckpoints(devnet.gateway.url, processId, { pageSize: 2 })
    expect(paged.pages).toBeGreaterThanOrEqual(4)
    expect(paged.claims.map((c) => c.id)).toEqual(discovery.claims.map((c) => c.id))
    const cut = await discoverCheckpoints(devnet.gateway.url, processId, { pageSize: 2, maxPages: 1 })
    expect([cut.pages, cut.truncated, cut.claims.length + cut.skipped.length]).toEqual([1, true, 2])
    expect((await discoverCheckpoints(devnet.gateway.url, processId, { owners: [] })).claims).toEqual([])
  })
})

describe('verifyCheckpointItem', () => {
  it('verifies every CU checkpoint’s signature, liar’s included: the lie is in what it signs', async () => {
    for (const claim of discovery.claims.filter((c) => c.owner === honest || c.owner === liar)) {
      const check = await verifyCheckpointItem(devnet.gateway.url, claim)
      expect(check, `${claim.owner} at ${claim.nonce}`).toMatchObject({ valid: true, problems: [], owner: claim.owner, source: 'graphql-and-data', saltLength: 478 })
      expect(check.tags).toEqual(claim.tags)
    }
  })

  it('fails when one byte of the downloaded body is changed', async () => {
    const claim = at(honest, 4)
    const check = await withRaw(claim.id, async (r) => new Response(flipByte(new Uint8Array(await r.arrayBuffer()), 20)), () => verifyCheckpointItem(devnet.gateway.url, claim))
    expect(check.valid).toBe(false)
    expect(check.problems).toEqual(["the signature does not verify over the item's owner, target, anchor, tags and data"])
  })

  it('cannot check a body the gateway served decoded, and says so', async () => {
    const claim = at(honest, 4)
    const decoded = withRaw(claim.id, async (r) => new Response(await new Response(r.body!.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()), () => verifyCheckpointItem(devnet.gateway.url, claim))
    await expect(decoded).rejects.toBeInstanceOf(CheckpointBodyError)
    await expect(decoded).rejects.toThrow(/the gateway served its body decoded \(it has no gzip header\), not the bytes that were signed/)
  })

  it('fails for a claim whose tags or owner the gateway misstates', async () => {
    const claim = at(liar, 8)
    const honestSha = at(honest, 8).sha256
    const forged: CheckpointClaim = { ...claim, sha256: honestSha, tags: claim.tags.map((t) => (t.name === 'SHA-256' ? { ...t, value: honestSha } : t)) }
    expect((await verifyCheckpointItem(devnet.gateway.url, forged)).valid).toBe(false)
    const misattributed = await verifyCheckpointItem(devnet.gateway.url, { ...claim, owner: honest })
    expect(misattributed.valid).toBe(false)
    expect(misattributed.problems).toEqual([`it is signed by ${liar}, not by ${honest} as listed`])
  })

  it('checks a whole ANS-104 item when the gateway serves one, and fails it when a byte changes', async () => {
    const claim = discovery.claims.find((c) => c.id === extra.id)!
    expect(claim.owner).toBe(devnet.wallets['user-1']!.address)
    const whole = await withRaw(claim.id, async () => new Response(extra.raw), () => verifyCheckpointItem(devnet.gateway.url, claim))
    expect(whole).toMatchObject({ valid: true, source: 'data-item', owner: claim.owner })
    expect(whole.body).toEqual(extra.data)
    const dataStart = extra.raw.length - extra.data.length
    const changed = await withRaw(claim.id, async () => new Response(flipByte(extra.raw, dataStart + 5)), () => verifyCheckpointItem(devnet.gateway.url, claim))
    expect(changed).toMatchObject({ valid: false, source: 'data-item' })
  })
})

describe('checkpointMemorySha', () => {
  it('finds the honest CU’s claimed SHA-256 in its body, equal to the memory the CU serves at that nonce', async () => {
    for (const nonce of nonces) {
      const claim = at(honest, nonce)
      const memory = await checkpointMemorySha(devnet.gateway.url, claim)
      expect(memory, `nonce ${nonce}`).toMatchObject({ matches: true, sha256: claim.sha256, claimed: claim.sha256 })
      expect(memory.compressedLength).toBeLessThan(memory.length)
      const state = await fetchCuState(devnet.ready.cus[0]!.url, processId, { to: claim.timestamp })
      expect(state.ordinate).toBe(String(nonce))
      expect(memorySha256(state.memory)).toBe(claim.sha256)
      expect(compareMemory(memory.memory, state.memory).equal).toBe(true)
    }
  })

  it('finds that the lying CU’s claims from nonce 8 are not the hash of its own body, which is the honest memory', async () => {
    expect((await checkpointMemorySha(devnet.gateway.url, at(liar, 4))).matches).toBe(true)
    for (const nonce of [8, 12]) {
      const claim = at(liar, nonce)
      const memory = await checkpointMemorySha(devnet.gateway.url, claim)
      expect(memory.matches, `nonce ${nonce}`).toBe(false)
      expect(memory.claimed).toBe(claim.sha256)
      expect(memory.sha256).not.toBe(claim.sha256)
      const honestMemory = await checkpointMemorySha(devnet.gateway.url, at(honest, nonce))
      expect(compareMemory(memory.memory, honestMemory.memory).equal).toBe(true)
    }
  })

  it('reuses a body already downloaded, and says a damaged gzip body cannot be read', async () => {
    const claim = at(honest, 4)
    const { body } = await verifyCheckpointItem(devnet.gateway.url, claim)
    expect((await checkpointMemorySha(devnet.gateway.url, claim, { body })).matches).toBe(true)
    // A body decoded on the way (no gzip header) is taken as the memory itself.
    const { memory } = await checkpointMemorySha(devnet.gateway.url, claim, { body })
    expect(await checkpointMemorySha(devnet.gateway.url, claim, { body: memory })).toMatchObject({ matches: true, compressedLength: memory.length })
    const damaged = body.slice(0, body.length - 8)
    await expect(checkpointMemorySha(devnet.gateway.url, claim, { body: damaged })).rejects.toThrow(`The body of checkpoint ${claim.id} (process ${processId}, nonce 4) on the gateway at ${devnet.gateway.url} cannot be read: its gzip data is damaged`)
  })
})
