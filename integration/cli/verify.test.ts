import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../../devnet/seed.ts'
import type { Devnet } from '../../devnet/startDevnet.ts'
import { startTestDevnet } from '../../devnet/testing.ts'
import { parseReceipt } from '../../src/core/verify/receipt.ts'

// `holoscope verify` against a devnet with an honest CU and one that lies from nonce 4 on.
// The CLI runs as a child process (asynchronously: devnet answers from this process).
function holoscope(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/holoscope.ts', ...args], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr })
    })
  })
}

describe('holoscope verify', () => {
  let devnet: Devnet
  let processId: string

  beforeAll(async () => {
    devnet = await startTestDevnet({ cus: 2, cuFaults: [undefined, { lieFrom: 4, lies: ['messages'] }] })
    const context: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users: [] }
    const [module] = await deployModules(context, ['as-token'])
    processId = await spawnProcess(context, context.deployer, module!.id, 'cli token')
    for (let i = 0; i < 8; i++) {
      await sendMessage(context, context.deployer, processId, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: devnet.wallets['user-0']!.address }, { name: 'Quantity', value: String(10 + i) }])
    }
  })
  afterAll(() => devnet?.stop())

  it('exits 0 with "verified" to the latest nonce against an honest CU', async () => {
    const receiptFile = join(mkdtempSync(join(tmpdir(), 'holoscope-receipt-')), 'receipt.json')
    const run = await holoscope('verify', processId, '--gateway', devnet.ready.gateway, '--cu', devnet.ready.cus[0]!.url, '--json', '--receipt', receiptFile)
    expect(run.code).toBe(0)
    const out = JSON.parse(run.stdout) as { status: string; nonce: number; cus: { status: string }[] }
    expect(out).toMatchObject({ status: 'verified', nonce: 8 })
    expect(out.cus.map((c) => c.status)).toEqual(['verified'])
    const receipt = parseReceipt(readFileSync(receiptFile, 'utf8'))
    expect(receipt).toMatchObject({ process: processId, nonces: { from: 0, to: 8 }, cus: [{ cu: devnet.ready.cus[0]!.url, status: 'verified', nonce: 8 }] })
  })

  it('exits 1 naming the nonce and field where a lying CU diverges', async () => {
    const run = await holoscope('verify', processId, '--gateway', devnet.ready.gateway, '--cu', devnet.ready.cus[0]!.url, '--cu', devnet.ready.cus[1]!.url, '--json')
    expect(run.code).toBe(1)
    const out = JSON.parse(run.stdout) as { status: string; divergence: { nonce: number; field: string; cu: string }; cus: { status: string }[] }
    expect(out.status).toBe('diverged')
    expect(out.divergence).toMatchObject({ nonce: 4, field: 'Messages', cu: devnet.ready.cus[1]!.url })
    expect(out.cus.map((c) => c.status)).toEqual(['verified', 'diverged'])
    // Pinned: --to stops before the lie.
    const early = await holoscope('verify', processId, '--gateway', devnet.ready.gateway, '--cu', devnet.ready.cus[1]!.url, '--to', '3')
    expect(early.code).toBe(0)
    expect(early.stdout).toContain('Verified to nonce 3')
  })

  it('exits 2 with a clear reason when it cannot check', async () => {
    const badId = await holoscope('verify', 'not-a-process', '--gateway', devnet.ready.gateway, '--cu', devnet.ready.cus[0]!.url)
    expect(badId.code).toBe(2)
    expect(badId.stderr).toContain('is not a process id')
    expect(badId.stderr).not.toMatch(/\n\s+at /)
    const noCu = await holoscope('verify', processId, '--gateway', devnet.ready.gateway, '--cu', 'http://127.0.0.1:1', '--json')
    expect(noCu.code).toBe(2)
    expect(JSON.parse(noCu.stdout)).toMatchObject({ status: 'unchecked' })
    const noGateway = await holoscope('verify', processId, '--gateway', 'http://127.0.0.1:1', '--cu', devnet.ready.cus[0]!.url)
    expect(noGateway.code).toBe(2)
    expect(noGateway.stderr).toMatch(/Could not check: .*127\.0\.0\.1:1/)
  })
})

describe('holoscope verify on real aos processes (aos 2.0.6 wasm64 token, aos with SQLite)', () => {
  let devnet: Devnet

  beforeAll(async () => {
    devnet = await startTestDevnet({
      cus: 2,
      cuFaults: [undefined, { lieFrom: 6, lies: ['output'] }],
      seed: {
        processes: [
          { name: 'cli aos token', fixture: 'aos-2.0.6', messages: 14, aos: 'token' },
          { name: 'cli aos guest book', fixture: 'aos-sqlite', messages: 10, aos: 'guest-book' },
        ],
      },
    })
  })
  afterAll(() => devnet?.stop())

  it.each(['cli aos token', 'cli aos guest book'])('%s: verified against an honest CU, diverged at the lie against a lying one', async (name) => {
    const seeded = devnet.ready.processes.find((p) => p.name === name)!
    const run = await holoscope('verify', seeded.id, '--gateway', devnet.ready.gateway, '--cu', devnet.ready.cus[0]!.url, '--cu', devnet.ready.cus[1]!.url, '--json')
    expect(run.code, run.stderr).toBe(1)
    const out = JSON.parse(run.stdout) as { divergence: { nonce: number; field: string; cu: string }; cus: { status: string; nonce: number }[] }
    expect(out.cus).toMatchObject([{ status: 'verified', nonce: seeded.latestNonce }, { status: 'diverged', nonce: 6 }])
    expect(out.divergence).toMatchObject({ nonce: 6, field: 'Output', cu: devnet.ready.cus[1]!.url })
  })
})
