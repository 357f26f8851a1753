import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../../devnet/seed.ts'
import type { Devnet } from '../../devnet/startDevnet.ts'
import { startTestDevnet } from '../../devnet/testing.ts'
import { tagValue } from '../../src/core/message/tagValue.ts'
import type { SuNode } from '../../src/core/message/types.ts'
import { compareMemory } from '../../src/core/verify/compareMemory.ts'
import { fetchCuState } from '../../src/net/cuState.ts'
import { HttpError, StateNotReadyError } from '../../src/net/errors.ts'

let devnet: Devnet
let processId: string
/** SU timestamps by nonce. */
let timestamps: number[]
let standIn: { url: string; close(): Promise<void> }

/** A CU stand-in: `/busy/…` answers 202 as a real CU does while it evaluates, `/bare/…` bytes without Last-* headers. */
async function startStandIn(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/busy/')) {
      res.writeHead(202, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: 'Evaluation of process "x" to "latest" is in progress.' }))
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.end(Buffer.from([1, 2, 3, 0, 0]))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

beforeAll(async () => {
  devnet = await startTestDevnet({ cus: 2 })
  const context: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users: [] }
  const [module] = await deployModules(context, ['lua-token'])
  processId = await spawnProcess(context, devnet.wallets['deployer']!, module!.id, 'cu state test')
  for (let i = 1; i <= 6; i++) {
    await sendMessage(context, devnet.wallets['deployer']!, processId, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: devnet.wallets[`user-${i}`]!.address }, { name: 'Quantity', value: String(7 * i) }])
    // Distinct SU timestamps, so a state asked for by timestamp is the state after one nonce.
    await new Promise((resolve) => setTimeout(resolve, 3))
  }
  await devnet.mu.idle()
  const page = (await (await fetch(`${devnet.ready.su}/${processId}?process-id=${processId}&from-nonce=-1`)).json()) as { edges: { node: SuNode }[] }
  timestamps = page.edges.map((e) => Number(tagValue(e.node.assignment.tags, 'Timestamp')))
  standIn = await startStandIn()
})

afterAll(async () => {
  await standIn?.close()
  await devnet?.stop()
})

describe('fetchCuState', () => {
  it('reads the latest memory and where it is, the same on two CUs', async () => {
    const [a, b] = await Promise.all(devnet.ready.cus.map((cu) => fetchCuState(cu.url, processId)))
    expect(timestamps).toHaveLength(7)
    expect(new Set(timestamps).size).toBe(7)
    expect([a!.ordinate, a!.timestamp]).toEqual(['6', timestamps[6]])
    expect(a!.blockHeight).toEqual(expect.any(Number))
    expect(a!.memory.length).toBeGreaterThan(1024 * 1024)
    expect(compareMemory(a!.memory, b!.memory)).toMatchObject({ equal: true })
  })

  it('reads the memory as of a timestamp, which differs from the latest', async () => {
    const cu = devnet.ready.cus[1]!.url
    const at3 = await fetchCuState(cu, processId, { to: timestamps[3] })
    expect(at3.ordinate).toBe('3')
    const latest = await fetchCuState(cu, processId)
    const comparison = compareMemory(at3.memory, latest.memory)
    expect(comparison.equal).toBe(false)
    // A changed byte in a copy of the same memory is found at its offset.
    const copy = latest.memory.slice()
    copy[123_457]! ^= 0x80
    expect(compareMemory(latest.memory, copy)).toMatchObject({ equal: false, offset: 123_457 })
  })

  it('gives undefined positions when the CU sends no Last-* headers (or a browser may not read them)', async () => {
    const state = await fetchCuState(`${standIn.url}/bare`, processId)
    expect(state).toEqual({ memory: new Uint8Array([1, 2, 3, 0, 0]), ordinate: undefined, timestamp: undefined, blockHeight: undefined })
  })

  it('says a CU that is still evaluating is not ready, and passes a CU’s refusal on', async () => {
    const busy = fetchCuState(`${standIn.url}/busy`, processId, { retry: { attempts: 1 } })
    await expect(busy).rejects.toBeInstanceOf(StateNotReadyError)
    await expect(busy).rejects.toThrow(/is still evaluating this process \(Evaluation of process "x" to "latest" is in progress\.\)\. Try again in a moment\./)
    const unknown = fetchCuState(devnet.ready.cus[0]!.url, 'Z'.repeat(43))
    await expect(unknown).rejects.toBeInstanceOf(HttpError)
    await expect(unknown).rejects.toMatchObject({ status: 404 })
    await expect(fetchCuState(devnet.ready.cus[0]!.url, processId, { to: -5 })).rejects.toThrow(/to must be a timestamp in ms/)
  })
})
