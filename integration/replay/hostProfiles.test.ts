import { execFile } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../../devnet/seed.ts'
import type { Devnet } from '../../devnet/startDevnet.ts'
import { eventually, startTestDevnet } from '../../devnet/testing.ts'
import { knownHostProfiles } from '../../src/core/host/knownHostProfiles.ts'
import { parseHostProfile } from '../../src/core/host/parseHostProfile.ts'
import type { Verdict } from '../../src/core/verify/verdict.ts'
import { spawnNodeWorker } from '../../src/eval/node/spawnNodeWorker.ts'
import { discoverCheckpoints } from '../../src/net/discoverCheckpoints.ts'
import { verifyProcess } from '../../src/replay/verifyProcess.ts'

// A Lua token on a devnet whose CUs run under different host profiles: Holoscope's own, the
// official CU's Docker image (another program path, ao-loader 0.0.44), the same lying about
// its checkpoints from nonce 8 or its state, and one installed where no known profile says.
// Every CU publishes a signed checkpoint every 4 nonces.
const official = knownHostProfiles.find((p) => p.id === 'official-cu-docker')!
const elsewhere = parseHostProfile('/srv/elsewhere/src/effects/worker/evaluator/index.js@0.0.44')
const cuSetups = [
  { host: undefined, faults: undefined },
  { host: official, faults: undefined },
  { host: official, faults: { lieFrom: 8, lies: ['checkpoint-sha' as const] } },
  { host: official, faults: { lieFrom: 0, lies: ['state' as const] } },
  { host: elsewhere, faults: undefined },
]

let devnet: Devnet
let processId: string
let cus: string[]
const latest = 13

beforeAll(async () => {
  devnet = await startTestDevnet({ cus: cuSetups.length, cuFaults: cuSetups.map((c) => c.faults), cuHosts: cuSetups.map((c) => c.host), checkpointEvery: 4 })
  cus = devnet.ready.cus.map((c) => c.url)
  const users = [devnet.wallets['user-0']!, devnet.wallets['user-1']!]
  const context: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users }
  const [module] = await deployModules(context, ['lua-token'])
  processId = await spawnProcess(context, context.deployer, module!.id, 'host profile token')
  for (let i = 0; i < latest; i++) {
    await sendMessage(context, context.deployer, processId, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: users[i % 2]!.address }, { name: 'Quantity', value: String(100 + i) }])
  }
  await devnet.mu.idle()
  // CUs evaluate lazily: make each evaluate the log (and publish its checkpoints) first.
  for (const cu of cus) await (await fetch(`${cu}/state/${processId}`)).arrayBuffer()
  await eventually(async () => {
    const { claims } = await discoverCheckpoints(devnet.ready.gateway, processId)
    return claims.length >= 3 * cus.length ? true : undefined
  }, 'every CU publishing its checkpoints')
}, 240_000)
afterAll(() => devnet?.stop())

const verify = (only: string[], hostProfiles?: ReturnType<typeof parseHostProfile>[]) =>
  verifyProcess({ processId, endpoints: { gateway: devnet.ready.gateway, cus: only }, spawn: spawnNodeWorker, hostProfiles })

describe('host profiles: an honest CU is never called diverged for its host', () => {
  it("verifies a CU on the official CU's host profile, naming it, though its memory differs from Holoscope's", async () => {
    // Its memory differs from a CU on Holoscope's host, while its results do not.
    const state = async (cu: string) => new Uint8Array(await (await fetch(`${cu}/state/${processId}`)).arrayBuffer())
    const [ours, theirs] = await Promise.all([state(cus[0]!), state(cus[1]!)])
    expect(Buffer.from(theirs).equals(Buffer.from(ours))).toBe(false)
    const result = async (cu: string) => (await fetch(`${cu}/results/${processId}?limit=100`)).json()
    expect(await result(cus[1]!)).toEqual(await result(cus[0]!))

    const verification = await verify([cus[0]!, cus[1]!])
    verification.dispose()
    const [holoscope, officialCu] = verification.verdicts as [Verdict, Verdict]
    expect(holoscope).toMatchObject({ status: 'verified', nonce: latest, checked: { results: latest + 1, checkpoints: 3, state: true, dryRun: true } })
    expect(holoscope).not.toHaveProperty('hostProfile')
    expect(officialCu).toMatchObject({ status: 'verified', nonce: latest, checked: { results: latest + 1, checkpoints: 3, state: true, dryRun: true }, hostProfile: { id: 'official-cu-docker' } })
  })

  it('still catches a CU on that profile lying about its checkpoints or its state, at the nonce of the lie, as a memory claim', async () => {
    const verification = await verify([cus[2]!, cus[3]!])
    verification.dispose()
    const [checkpointLiar, stateLiar] = verification.verdicts as [Verdict, Verdict]
    // Its checkpoint at nonce 4 held under the official CU's profile; the one at 8 holds under none.
    expect(checkpointLiar).toMatchObject({ status: 'diverged', claim: 'checkpoint', nonce: 8, field: 'SHA-256', checked: { checkpoints: 1 }, hostProfile: { id: 'official-cu-docker' } })
    expect(stateLiar).toMatchObject({ status: 'diverged', claim: 'state', nonce: latest, field: 'memory', checked: { results: latest + 1, checkpoints: 3 }, hostProfile: { id: 'official-cu-docker' } })
    // Compared with the memory under its own profile: they differ at the byte it changed, not where the host is written.
    if (stateLiar.status === 'diverged') {
      const offset = (text: unknown) => Number(/at offset (\d+)/.exec(String(text))?.[1])
      const length = Number(/^(\d+) bytes/.exec(String(stateLiar.remote))?.[1])
      expect(offset(stateLiar.local)).toBe(length >> 1)
      expect(stateLiar.hostProfiles).toEqual(expect.arrayContaining(['holoscope', 'official-cu-docker']))
    }
  })

  it('calls a CU whose memory no profile reproduces a memory divergence, not a wrong result; with its profile added it is verified', async () => {
    const unknown = await verify([cus[4]!])
    unknown.dispose()
    const [verdict] = unknown.verdicts as [Verdict]
    expect(verdict).toMatchObject({ status: 'diverged', claim: 'checkpoint', nonce: 4, checked: { results: 4 } })
    if (verdict.status === 'diverged') {
      expect(verdict.hostProfiles).toEqual(knownHostProfiles.map((p) => p.id))
      expect(verdict.notes?.join(' ')).toContain('Its message results agree up to here (4 compared)')
    }

    const added = await verify([cus[4]!], [parseHostProfile(elsewhere.label)])
    added.dispose()
    expect(added.verdicts[0]).toMatchObject({ status: 'verified', nonce: latest, checked: { checkpoints: 3, state: true }, hostProfile: { programPath: elsewhere.programPath, aoLoader: '0.0.44' } })
  })
})

describe('host profiles that cannot be replayed', () => {
  it('never turn a memory claim that differs into a divergence: the claim is noted as not checked', async () => {
    // The first worker replays under Holoscope's host; every later one (a host profile's replay) fails to start.
    let spawned = 0
    const spawn: typeof spawnNodeWorker = () => {
      if (spawned++ === 0) return spawnNodeWorker()
      throw new Error('no worker for this host profile')
    }
    const verification = await verifyProcess({ processId, endpoints: { gateway: devnet.ready.gateway, cus: [cus[1]!] }, spawn })
    verification.dispose()
    const [verdict] = verification.verdicts as [Verdict]
    expect(spawned).toBeGreaterThan(1)
    expect(verdict).toMatchObject({ status: 'verified', nonce: latest, checked: { results: latest + 1, checkpoints: 0, state: false } })
    expect(verdict.status === 'verified' && verdict.notes?.join(' ')).toMatch(/could not be checked under every host profile, so it is not called a divergence/)
  })
})

// `holoscope verify` as a child process (asynchronously: devnet answers from this process).
function holoscope(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/holoscope.ts', ...args], { encoding: 'utf8', timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr })
    })
  })
}

describe('holoscope verify with host profiles', () => {
  it('names the host profile in its output and --json, and takes --host-profile for a host it does not know', async () => {
    const json = await holoscope('verify', processId, '--gateway', devnet.ready.gateway, '--cu', cus[1]!, '--json')
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'verified', nonce: latest, cus: [{ status: 'verified', hostProfile: { id: 'official-cu-docker', aoLoader: '0.0.44' } }] })

    const text = await holoscope('verify', processId, '--gateway', devnet.ready.gateway, '--cu', cus[4]!, '--host-profile', elsewhere.label)
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(`Verified to nonce ${latest} against CU ${cus[4]}, with its host profile: ${elsewhere.label}\n`)
    expect(text.stdout).toContain('memory: 3 signed checkpoints, its state')
  })
})
