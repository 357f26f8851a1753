import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployModules, spawnProcess, type SeedContext } from '../../devnet/seed.ts'
import type { Devnet } from '../../devnet/startDevnet.ts'
import { startTestDevnet } from '../../devnet/testing.ts'
import { tagValue } from '../../src/core/message/tagValue.ts'
import { NetworkError, NotFoundError } from '../../src/net/errors.ts'
import { fetchData, fetchTransactionMeta, findProcessSu, findSchedulerLocation } from '../../src/net/gateway.ts'

const absent = randomBytes(32).toString('base64url')

describe('gateway', () => {
  let devnet: Devnet
  let moduleId: string
  let processId: string

  beforeAll(async () => {
    devnet = await startTestDevnet()
    const context: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users: [] }
    moduleId = (await deployModules(context, ['lua-token']))[0]!.id
    processId = await spawnProcess(context, context.deployer, moduleId, 'gateway test', [{ name: 'Memo', value: 'net' }])
  })
  afterAll(() => devnet?.stop())

  it('reads a transaction and a data item: owner, tags, signature, anchor, recipient', async () => {
    const module = await fetchTransactionMeta(devnet.ready.gateway, moduleId)
    expect(module.id).toBe(moduleId)
    expect(module.owner.address).toBe(devnet.wallets['deployer']!.address)
    expect(module.owner.key.length).toBeGreaterThan(500)
    expect(tagValue(module.tags, 'Type')).toBe('Module')
    expect(tagValue(module.tags, 'Module-Format')).toBe('wasm32-unknown-emscripten2')

    const process = await fetchTransactionMeta(devnet.ready.gateway, processId)
    expect(process.owner.address).toBe(devnet.wallets['deployer']!.address)
    // The signed tags in their order, as spawned.
    expect(process.tags.map((t) => t.name)).toEqual(['Data-Protocol', 'Variant', 'Type', 'Module', 'Scheduler', 'Name', 'SDK', 'Memo'])
    expect(tagValue(process.tags, 'Scheduler')).toBe(devnet.ready.scheduler)
    expect(process.signature).toMatch(/^[A-Za-z0-9_-]{600,}$/)
    expect(process.recipient).toBe('')
  })

  it('reads data byte for byte', async () => {
    const wasm = await fetchData(devnet.ready.gateway, moduleId)
    expect(wasm).toBeInstanceOf(Uint8Array)
    expect(Buffer.from(wasm).equals(readFileSync(new URL('../../processes/build/lua-token.wasm', import.meta.url)))).toBe(true)
    expect(new TextDecoder().decode(await fetchData(devnet.ready.gateway, processId))).toBe("gateway test, seeded by Holoscope's devnet")
  })

  it("finds a scheduler's URL and a process's SU", async () => {
    expect(await findSchedulerLocation(devnet.ready.gateway, devnet.ready.scheduler)).toEqual({ url: devnet.ready.su, ttlMs: 3_600_000 })
    expect(await findProcessSu(`${devnet.ready.gateway}/`, processId)).toEqual({ url: devnet.ready.su, address: devnet.ready.scheduler, ttlMs: 3_600_000 })
  })

  it('says what is not on the gateway, and why', async () => {
    const gateway = devnet.ready.gateway
    const meta = await fetchTransactionMeta(gateway, absent).catch((e: unknown) => e)
    expect(meta).toBeInstanceOf(NotFoundError)
    expect(meta).toMatchObject({ id: absent, what: 'transaction' })
    expect((meta as Error).message).toBe(`Transaction ${absent} is not on the gateway at ${gateway}. Check the id, or wait until the gateway has indexed it.`)
    await expect(fetchData(gateway, absent)).rejects.toMatchObject({ name: 'NotFoundError', id: absent, what: 'transaction' })
    await expect(findProcessSu(gateway, absent)).rejects.toMatchObject({ name: 'NotFoundError', what: 'transaction' })
    // A module is on the gateway, but it is not a process.
    await expect(findProcessSu(gateway, moduleId)).rejects.toThrow(`Transaction ${moduleId} on the gateway at ${gateway} is not an AO process: it has no Scheduler tag.`)
    // The deployer announces no scheduler.
    const deployer = devnet.wallets['deployer']!.address
    await expect(findSchedulerLocation(gateway, deployer)).rejects.toMatchObject({ name: 'NotFoundError', id: deployer, what: 'scheduler-location' })
  })

  it('fails with a NetworkError when the gateway cannot be reached', async () => {
    const error = await fetchTransactionMeta('http://127.0.0.1:1', moduleId).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toMatch(/^Could not reach the gateway at http:\/\/127\.0\.0\.1:1\/graphql: .+\. Check the URL in Settings or your connection\.$/)
    await expect(fetchData('gateway.example', moduleId)).rejects.toThrow('Could not reach the gateway at gateway.example: it is not an http:// or https:// URL. Check the URL in Settings or your connection.')
  })
})
