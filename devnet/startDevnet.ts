import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatHostProfile } from '../src/core/host/parseHostProfile.ts'
import type { HostProfile } from '../src/core/host/types.ts'
import { startCu, type Cu, type CuFaults } from './cu/startCu.ts'
import { startGateway, type Gateway, type GatewayFaults } from './gateway/startGateway.ts'
import { loadWallets, type Wallet } from './lib/wallets.ts'
import { startMu, type Mu } from './mu/startMu.ts'
import { demoPlan, seed, type Seeded, type SeedPlan } from './seed.ts'
import { startSu, type Su, type SuFaults } from './su/startSu.ts'

/** How to start a devnet. Every port defaults to 0 (a free port) unless given. */
export type DevnetOptions = {
  /** Where state lives: wallets/, state/ (arlocal's database, the SU's schedule, seed.json). */
  dir: string
  /** Where wallets live (default `<dir>/wallets`); tests share the developer's wallets. */
  walletsDir?: string
  /** Delete the state (not the wallets) first. */
  fresh?: boolean
  ports?: { gateway?: number; su?: number; mu?: number; cus?: number[] }
  /** How many CUs (default 2), each with its own wallet, port and faults. */
  cus?: number
  cuFaults?: (CuFaults | undefined)[]
  /** How each CU calls ao-loader: `hot` (default) or `cu`, copying memory in and out as the official CU does. */
  cuModes?: ('hot' | 'cu' | undefined)[]
  /** The host profile each CU's evaluator workers run under (default: Holoscope's pinned host). */
  cuHosts?: (HostProfile | undefined)[]
  /** A checkpoint every K messages on each CU (default 100). */
  checkpointEvery?: number
  suFaults?: SuFaults
  /** The SU answers every page of a process's log this many ms late (default 0). */
  suPageLatencyMs?: number
  gatewayFaults?: GatewayFaults
  /** What to seed when the state has no seed yet (default: the demo plan). */
  seed?: SeedPlan | 'demo' | 'none'
  log?: (line: string) => void
}

/** What `.devnet/ready.json` says: where everything is and what is on it. */
export type ReadyInfo = {
  gateway: string
  su: string
  mu: string
  cus: { url: string; address: string; faults?: CuFaults; host?: string }[]
  scheduler: string
  wallets: Record<string, string>
  modules: Seeded['modules']
  processes: (Seeded['processes'][number] & { latestNonce: number })[]
}

export type Devnet = {
  ready: ReadyInfo
  gateway: Gateway
  su: Su
  mu: Mu
  cus: Cu[]
  wallets: Record<string, Wallet>
  stop(): Promise<void>
}

/**
 * Starts a local AO network on loopback: arlocal as gateway, an SU, an MU and CUs, seeds it
 * when its state has no seed yet, and returns where everything is. Every part speaks the
 * public AO HTTP APIs, so clients cannot tell it from the real network.
 */
export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const { dir, fresh = false, ports = {}, cus: cuCount = 2, cuFaults = [], cuModes = [], cuHosts = [], checkpointEvery = 100, log = () => undefined } = options
  const stateDir = join(dir, 'state')
  const seedFile = join(stateDir, 'seed.json')
  const plan = options.seed === undefined || options.seed === 'demo' ? demoPlan : options.seed === 'none' ? { processes: [] } : options.seed
  const planKey = createHash('sha256').update(JSON.stringify(plan)).digest('hex')
  // A state seeded by another plan (an older demo plan) lacks what this one seeds: start over.
  const stale = !fresh && existsSync(seedFile) && (JSON.parse(readFileSync(seedFile, 'utf8')) as { plan?: string }).plan !== planKey
  if (stale) log('the state was seeded by another plan: seeding again (the wallets are kept)')
  if (fresh || stale) rmSync(stateDir, { recursive: true, force: true })
  mkdirSync(stateDir, { recursive: true })
  const cuNames = Array.from({ length: cuCount }, (_, i) => `cu-${i}`)
  const userNames = Array.from({ length: 10 }, (_, i) => `user-${i}`)
  const started = Date.now()
  const wallets = await loadWallets(options.walletsDir ?? join(dir, 'wallets'), ['bundler', 'su', 'mu', 'deployer', ...cuNames, ...userNames])
  log(`wallets ready (${Date.now() - started} ms)`)

  const stops: (() => Promise<void>)[] = []
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((error: unknown) => log(`stopping: ${String(error)}`))
  }
  try {
    const gateway = await startGateway({ port: ports.gateway ?? 0, dbDir: join(stateDir, 'arlocal'), bundler: wallets.bundler!, faults: options.gatewayFaults ?? {} })
    stops.push(() => gateway.stop())
    const su = await startSu({ port: ports.su ?? 0, wallet: wallets.su!, gateway, stateFile: join(stateDir, 'su.jsonl'), faults: options.suFaults ?? {}, pageLatencyMs: options.suPageLatencyMs ?? 0 })
    stops.push(() => su.stop())
    const cus: Cu[] = []
    for (const [i, name] of cuNames.entries()) {
      const faults = cuFaults[i]
      const cu = await startCu({ port: ports.cus?.[i] ?? 0, wallet: wallets[name]!, gatewayUrl: gateway.url, checkpointEvery, ...(faults ? { faults } : {}), ...(cuModes[i] ? { mode: cuModes[i] } : {}), host: cuHosts[i] })
      stops.push(() => cu.stop())
      cus.push(cu)
    }
    // The MU cranks outboxes with the first (honest unless told otherwise) CU.
    const mu = await startMu({ port: ports.mu ?? 0, wallet: wallets.mu!, gatewayUrl: gateway.url, cuUrl: cus[0]!.url })
    stops.push(() => mu.stop())
    log(`gateway ${gateway.url} · su ${su.url} · mu ${mu.url} · cu ${cus.map((c) => c.url).join(', ')}`)

    let seeded: Seeded = { modules: [], processes: [] }
    if (existsSync(seedFile)) seeded = JSON.parse(readFileSync(seedFile, 'utf8')) as Seeded
    else {
      if (plan.processes.length || plan.pingPairs) {
        log('seeding (once; kept in the state directory)…')
        const seedStarted = Date.now()
        seeded = await seed(
          {
            gateway,
            muUrl: mu.url,
            muIdle: () => mu.idle(),
            scheduler: su.address,
            muAddress: mu.address,
            deployer: wallets.deployer!,
            users: userNames.map((n) => wallets[n]!),
            log,
          },
          plan,
        )
        log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`)
      }
      writeFileSync(seedFile, JSON.stringify({ ...seeded, plan: planKey }, null, 2))
    }
    const processes = await Promise.all(
      seeded.processes.map(async (p) => {
        const latest = (await (await fetch(`${su.url}/${p.id}/latest`)).json()) as { assignment: { tags: { name: string; value: string }[] } }
        const nonce = Number(latest.assignment.tags.find((t) => t.name === 'Nonce')?.value ?? 0)
        return { ...p, latestNonce: nonce }
      }),
    )
    const ready: ReadyInfo = {
      gateway: gateway.url,
      su: su.url,
      mu: mu.url,
      cus: cus.map((c, i) => ({ url: c.url, address: c.address, ...(cuFaults[i] ? { faults: cuFaults[i] } : {}), ...(cuHosts[i] ? { host: formatHostProfile(cuHosts[i]) } : {}) })),
      scheduler: su.address,
      wallets: Object.fromEntries(Object.entries(wallets).map(([name, w]) => [name, w.address])),
      modules: seeded.modules,
      processes,
    }
    return { ready, gateway, su, mu, cus, wallets, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
