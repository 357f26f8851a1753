import 'fake-indexeddb/auto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { openDB } from 'idb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../../devnet/seed.ts'
import type { Devnet } from '../../devnet/startDevnet.ts'
import { eventually, startTestDevnet } from '../../devnet/testing.ts'
import { parseReceipt, serializeReceipt } from '../../src/core/verify/receipt.ts'
import type { Verdict } from '../../src/core/verify/verdict.ts'
import { spawnNodeWorker } from '../../src/eval/node/spawnNodeWorker.ts'
import { discoverCheckpoints } from '../../src/net/discoverCheckpoints.ts'
import { openStore, type Store } from '../../src/store/openStore.ts'
import { verifyProcess, type VerifyOptions } from '../../src/replay/verifyProcess.ts'

// One devnet, five CUs: an honest one, and one for each kind of claim a CU can get wrong.
// Every CU publishes a signed checkpoint every 4 nonces. Its token process is only read: a
// test that adds messages spawns a process of its own, and each test builds its own store.
const lies = [undefined, { lieFrom: 8, lies: ['checkpoint-sha' as const] }, { lieFrom: 0, lies: ['dryrun-balance' as const] }, { lieFrom: 6, lies: ['output' as const] }, { lieFrom: 0, lies: ['state' as const] }]
const policy = { everyMessages: 5, everySeconds: 600, keepNewest: 3, ladderBase: 10 }

/** A token process on the devnet and the nonce of its latest message. */
type Token = { id: string; latest: number }

let devnet: Devnet
let context: SeedContext
let module: string
let token: Token
let latest: number
let databases = 0
let started: Promise<void> | undefined

async function spawnToken(name: string, messages: number): Promise<Token> {
  const spawned = { id: await spawnProcess(context, context.deployer, module, name), latest: 0 }
  await send(spawned, messages)
  return spawned
}

async function send(to: Token, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const recipient = context.users[i % context.users.length]!
    await sendMessage(context, context.deployer, to.id, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: recipient.address }, { name: 'Quantity', value: String(100 + i) }])
  }
  await devnet.mu.idle()
  to.latest += count
}

/** Starts the devnet and seeds its token process: once, for whichever block runs first. */
function startSharedDevnet(): Promise<void> {
  started ??= (async () => {
    devnet = await startTestDevnet({ cus: lies.length, cuFaults: lies, checkpointEvery: 4 })
    const users = [devnet.wallets['user-0']!, devnet.wallets['user-1']!]
    context = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users }
    module = (await deployModules(context, ['lua-token']))[0]!.id
    token = await spawnToken('claims token', 13)
    latest = token.latest
    // CUs evaluate lazily: make each evaluate the log (and publish its checkpoints) first.
    for (const cu of devnet.ready.cus) await (await fetch(`${cu.url}/state/${token.id}`)).arrayBuffer()
    await eventually(async () => {
      const { claims } = await discoverCheckpoints(devnet.ready.gateway, token.id)
      return claims.length >= 3 * lies.length ? true : undefined
    }, 'every CU publishing its checkpoints')
  })()
  return started
}
afterAll(() => devnet?.stop())

const verify = (options: Partial<VerifyOptions> & { cus: string[] }) =>
  verifyProcess({ processId: token.id, endpoints: { gateway: devnet.ready.gateway, cus: options.cus }, spawn: spawnNodeWorker, policy, ...options })

const nextStoreName = () => `verify-${process.pid}-${++databases}`
const freshStore = () => openStore({ name: nextStoreName(), storage: {} })

/** A store of its own holding what a full replay with the honest CU leaves: location, module, checkpoints to the latest nonce. */
async function replayedStore(honest: string): Promise<Store> {
  const store = await freshStore()
  ;(await verify({ cus: [honest], store })).dispose()
  return store
}

describe('verifyProcess: every kind of CU claim', () => {
  beforeAll(startSharedDevnet)

  it('verifies an honest CU on results, signed checkpoints, state and dry-run, and names each lie by claim, nonce and CU', async () => {
    const cus = devnet.ready.cus.map((c) => c.url)
    const verification = await verify({ cus })
    verification.dispose()
    const [honest, checkpointLiar, dryRunLiar, outputLiar, stateLiar] = verification.verdicts as [Verdict, Verdict, Verdict, Verdict, Verdict]
    expect(honest).toMatchObject({ status: 'verified', nonce: latest, checked: { results: latest + 1, checkpoints: 3, state: true, dryRun: true } })
    expect(checkpointLiar).toMatchObject({ status: 'diverged', claim: 'checkpoint', nonce: 8, field: 'SHA-256', cu: cus[1] })
    if (checkpointLiar.status === 'diverged') {
      expect(checkpointLiar.remote).not.toBe(checkpointLiar.local)
      // Its body holds the honest memory: the CU signed a hash that is not even its own body's.
      expect(checkpointLiar.notes?.join(' ')).toContain('not to the SHA-256 it signed')
      expect(checkpointLiar.claimId).toMatch(/^[\w-]{43}$/)
    }
    expect(dryRunLiar).toMatchObject({ status: 'diverged', claim: 'dry-run', nonce: latest, field: 'Messages', cu: cus[2] })
    expect(outputLiar).toMatchObject({ status: 'diverged', claim: 'result', nonce: 6, field: 'Output', cu: cus[3] })
    expect(stateLiar).toMatchObject({ status: 'diverged', claim: 'state', nonce: latest, field: 'memory', cu: cus[4] })
    // The honest CU's checkpoints are the signed items devnet published, all of them found.
    expect((await verification.cuCheckpoints).filter((c) => c.cu === cus[0]).map((c) => c.nonce)).toEqual([4, 8, 12])
  })
})

describe('verifyProcess with a store: resume, second visit, receipts', () => {
  let honest: string
  beforeAll(async () => {
    await startSharedDevnet()
    honest = devnet.ready.cus[0]!.url
  })

  it('replays fully once, then shows the same verdict from the checkpoint at the target without evaluating', async () => {
    const store = await freshStore()
    const first = await verify({ cus: [honest], store })
    const firstReceipt = await first.receipt()
    const firstBalances = await first.balances()
    first.dispose()
    expect(Object.keys(firstBalances ?? {}).length).toBeGreaterThan(1)
    expect(first).toMatchObject({ evaluated: latest + 1, start: { source: 'genesis' } })
    expect(first.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest })
    const checkpoints = await store.listCheckpoints(token.id)
    expect(checkpoints.at(-1)!.nonce).toBe(latest)

    const second = await verify({ cus: [honest], store })
    expect(second).toMatchObject({ evaluated: 0, start: { source: 'local-checkpoint', nonce: latest } })
    expect(second.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest })
    // The restored state is the replayed one: same balances, same memory and cumulative hash.
    expect(await second.balances()).toEqual(firstBalances)
    const secondReceipt = await second.receipt()
    expect(secondReceipt.memory).toEqual(firstReceipt.memory)
    expect(secondReceipt.cumulativeHash).toBe(firstReceipt.cumulativeHash)
    const check = await second.checkReceipt(parseReceipt(serializeReceipt(firstReceipt)))
    expect(check.disagreeing).toEqual([])
    expect(check.fields.filter((f) => f.status === 'agrees').map((f) => f.field)).toEqual(['process', 'module', 'nonces', 'hashChain', 'memory', 'cumulativeHash', 'moduleOptions'])
    // A receipt that claims another memory is refused on that field.
    const forged = { ...firstReceipt, memory: { ...firstReceipt.memory, sha256: '0'.repeat(64) } }
    expect((await second.checkReceipt(forged)).disagreeing).toEqual(['memory'])
    second.dispose()
    store.close()
  })

  it("shows verdicts that stand without waiting for the CUs' checkpoint listing", async () => {
    // A gateway that never answers: the process's location and module are stored, so only the
    // listing of CU checkpoints (GraphQL) goes to it.
    const store = await replayedStore(honest)
    const silent = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const gateway = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
      const again = await verify({ cus: [honest], store, endpoints: { gateway, cus: [honest] } })
      again.dispose()
      expect(again).toMatchObject({ evaluated: 0, start: { source: 'local-checkpoint', nonce: latest } })
      expect(again.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest })
      const listed = await Promise.race([again.cuCheckpoints.then(() => 'listed'), new Promise((resolve) => setTimeout(resolve, 200, 'pending'))])
      expect(listed).toBe('pending')
    } finally {
      silent.closeAllConnections()
      silent.close()
      store.close()
    }
  })

  it("remembers where the process is scheduled, and looks it up again when that SU no longer serves it", async () => {
    const store = await replayedStore(honest)
    // Found on the gateway and remembered for the record's Time-To-Live, with the process.
    const location = await store.getLocation(token.id)
    expect(location).toMatchObject({ su: devnet.ready.su, scheduler: devnet.ready.scheduler, process: { process_id: token.id } })
    expect(location!.until).toBeGreaterThan(Date.now())
    // A remembered SU is used as it is (here the same SU under another host name), and so is the
    // remembered process: it is not asked for again (here its Name is marked to tell)...
    const alias = devnet.ready.su.replace('127.0.0.1', 'localhost')
    const marked = { ...location!.process!, tags: location!.process!.tags.map((t) => (t.name === 'Name' ? { ...t, value: 'as remembered' } : t)) }
    await store.putLocation(token.id, { ...location!, su: alias, process: marked })
    const remembered = await verify({ cus: [honest], store })
    remembered.dispose()
    expect(remembered.su).toBe(alias)
    expect(remembered.name).toBe('as remembered')
    expect(remembered.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest })
    // ...until it fails (the remembered process is not asked for again: the latest nonce fails),
    // then the gateway is asked again and the answer remembered.
    await store.putLocation(token.id, { ...location!, su: 'http://127.0.0.1:1' })
    const moved = await verify({ cus: [honest], store })
    moved.dispose()
    expect(moved.su).toBe(devnet.ready.su)
    expect(moved.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest })
    expect((await store.getLocation(token.id))?.su).toBe(devnet.ready.su)
    store.close()
  })

  it('replays only the tail after new messages, and agrees with a full replay', async () => {
    // A process of its own: the new messages change no other test's log.
    const growing = await spawnToken('growing token', 6)
    const store = await freshStore()
    ;(await verify({ processId: growing.id, cus: [honest], store })).dispose()
    await send(growing, 3)
    const tail = await verify({ processId: growing.id, cus: [honest], store })
    const tailReceipt = await tail.receipt()
    tail.dispose()
    store.close()
    expect(tail).toMatchObject({ evaluated: 3, start: { source: 'local-checkpoint', nonce: growing.latest - 3 } })
    expect(tail.verdicts[0]).toMatchObject({ status: 'verified', nonce: growing.latest })
    const full = await verify({ processId: growing.id, cus: [] })
    const fullReceipt = await full.receipt()
    full.dispose()
    expect(full.evaluated).toBe(growing.latest + 1)
    expect(tailReceipt.cumulativeHash).toBe(fullReceipt.cumulativeHash)
    expect(tailReceipt.memory).toEqual(fullReceipt.memory)
  })

  it('resumes an interrupted replay from its newest checkpoint, with the same verdict', async () => {
    const own = await freshStore()
    const controller = new AbortController()
    await expect(
      verify({
        cus: [honest],
        store: own,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.evaluated >= 12) controller.abort(new Error('stopped by the test'))
        },
      }),
    ).rejects.toThrow('stopped by the test')
    const saved = (await own.latestCheckpoint(token.id))!.nonce
    expect(saved).toBeGreaterThanOrEqual(4)
    expect(saved).toBeLessThan(latest)
    const resumed = await verify({ cus: [honest], store: own })
    resumed.dispose()
    own.close()
    expect(resumed).toMatchObject({ start: { source: 'local-checkpoint', nonce: saved }, evaluated: latest - saved })
    expect(resumed.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest })
  })

  it('discards a corrupted checkpoint with a notice and rebuilds from an older one', async () => {
    const name = nextStoreName()
    const own = await openStore({ name, storage: {} })
    const first = await verify({ cus: [], store: own })
    first.dispose()
    const newest = (await own.latestCheckpoint(token.id))!
    own.close()
    // Damage the newest checkpoint's first chunk (one only it uses: the Lua GC touches every chunk).
    const raw = await openDB(name)
    const record = (await raw.get('checkpoints', [token.id, newest.nonce])) as { chunks: (string | null)[] }
    const chunk = record.chunks.find((c) => c !== null)!
    const body = (await raw.get('chunkData', chunk)) as Uint8Array
    const damaged = body.slice()
    damaged[damaged.length >> 1]! ^= 0xff
    await raw.put('chunkData', damaged, chunk)
    raw.close()
    const reopened = await openStore({ name, storage: {} })
    const notices: string[] = []
    const again = await verify({ cus: [honest], store: reopened, onNotice: (n) => notices.push(n) })
    again.dispose()
    reopened.close()
    expect(notices.join('\n')).toMatch(/corrupt|damaged|does not match/i)
    expect(again.start).toMatchObject({ source: 'local-checkpoint' })
    expect((again.start as { nonce: number }).nonce).toBeLessThan(newest.nonce)
    expect(again.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest })
  })

  it("starts from a CU's signed checkpoint when asked, and says the start was trusted", async () => {
    const probe = await verify({ cus: [honest], toNonce: 8 })
    probe.dispose()
    const claim = (await probe.cuCheckpoints).find((c) => c.nonce === 8)!
    const seeded = await verify({ cus: [honest], trustCheckpoint: { cu: honest, claim } })
    seeded.dispose()
    expect(seeded).toMatchObject({ start: { source: 'cu-checkpoint', nonce: 8, cu: honest }, evaluated: latest - 8 })
    expect(seeded.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest, trusted: { cu: honest, nonce: 8, checkpointId: claim.id } })
  })
})

describe('verifyProcess on a broken log', () => {
  let broken: Devnet
  let brokenId: string
  beforeAll(async () => {
    broken = await startTestDevnet({ cus: 1, suFaults: { breakChainAt: 3 } })
    const seed: SeedContext = { gateway: broken.gateway, muUrl: broken.ready.mu, muIdle: () => broken.mu.idle(), scheduler: broken.ready.scheduler, deployer: broken.wallets['deployer']!, users: [] }
    const [module] = await deployModules(seed, ['as-token'])
    brokenId = await spawnProcess(seed, seed.deployer, module!.id, 'broken chain')
    for (let i = 0; i < 5; i++) await sendMessage(seed, seed.deployer, brokenId, [{ name: 'Action', value: 'Balance' }])
    await broken.mu.idle()
  })
  afterAll(() => broken?.stop())

  it('could not check: names the SU and the nonce where its hash chain breaks, never a CU divergence', async () => {
    const run = verifyProcess({ processId: brokenId, endpoints: { gateway: broken.ready.gateway, cus: [broken.ready.cus[0]!.url] }, spawn: spawnNodeWorker })
    await expect(run).rejects.toMatchObject({ name: 'HashChainError', nonce: 3 })
    await expect(run).rejects.toThrow(/broke the hash chain of process .* at nonce 3/)
  })
})
