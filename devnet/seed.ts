import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Tag } from '../src/core/message/types.ts'
import { mulberry32 } from '../processes/tokenLog.ts'
import { signDataItem } from './lib/dataItems.ts'
import type { Wallet } from './lib/wallets.ts'

/** One fixture module built by `npm run fixtures` (processes/build). */
export type FixtureName = 'lua-token' | 'lua-token4' | 'as-token'

/** A demo process to spawn and the traffic to send it. */
export type SeedProcess = {
  name: string
  fixture: FixtureName
  /** Messages after the spawn. */
  messages: number
  /** Extra process tags. */
  tags?: Tag[]
}

/** What to seed: processes, and pairs of processes that ping each other through the MU. */
export type SeedPlan = { processes: SeedProcess[]; pingPairs?: number }

export type SeededModule = { name: FixtureName; id: string; format: string }
export type SeededProcess = { id: string; name: string; fixture: FixtureName; module: string; messages: number; owner: string }
export type Seeded = { modules: SeededModule[]; processes: SeededProcess[] }

/** The demo network `npm run devnet` starts with: a few thousand messages between many wallets. */
export const demoPlan: SeedPlan = {
  processes: [
    { name: 'Holoscope Demo Token (Lua)', fixture: 'lua-token', messages: 1500 },
    { name: 'Holoscope Demo Token (AssemblyScript)', fixture: 'as-token', messages: 600 },
    { name: 'Holoscope Demo Token (Lua, emscripten4)', fixture: 'lua-token4', messages: 300 },
  ],
  pingPairs: 1,
}

const buildDir = new URL('../processes/build/', import.meta.url).pathname

export type SeedContext = {
  gateway: { postTransaction(wallet: Wallet, data: Uint8Array, tags: Tag[]): Promise<string> }
  muUrl: string
  /** Resolves when the MU has pushed every outbox so far. */
  muIdle(): Promise<void>
  scheduler: string
  deployer: Wallet
  users: Wallet[]
  log?: (line: string) => void
}

/** Deploys the fixture modules a plan needs to the gateway, with their module tags. */
export async function deployModules(context: SeedContext, fixtures: FixtureName[]): Promise<SeededModule[]> {
  const modules: SeededModule[] = []
  for (const name of [...new Set(fixtures)]) {
    const wasm = readFileSync(join(buildDir, `${name}.wasm`))
    const meta = JSON.parse(readFileSync(join(buildDir, `${name}.json`), 'utf8')) as { format: string; tags: Tag[] }
    const id = await context.gateway.postTransaction(context.deployer, wasm, [...meta.tags, { name: 'Name', value: `holoscope-${name}` }])
    modules.push({ name, id, format: meta.format })
  }
  return modules
}

/** Sends one signed data item to the MU; returns its id. */
export async function sendToMu(muUrl: string, wallet: Wallet, item: { target?: string; tags: Tag[]; data?: string }): Promise<string> {
  const signed = await signDataItem(wallet, item)
  const res = await fetch(muUrl, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: signed.raw })
  if (res.status !== 202) throw new Error(`the MU refused ${signed.id}: ${res.status} ${await res.text()}`)
  return signed.id
}

const base = (type: string): Tag[] => [
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'Variant', value: 'ao.TN.1' },
  { name: 'Type', value: type },
]

/** Spawns a process from a module through the MU, as aoconnect's spawn does. */
export async function spawnProcess(context: SeedContext, owner: Wallet, module: string, name: string, tags: Tag[] = []): Promise<string> {
  return sendToMu(context.muUrl, owner, {
    tags: [...base('Process'), { name: 'Module', value: module }, { name: 'Scheduler', value: context.scheduler }, { name: 'Name', value: name }, { name: 'SDK', value: 'holoscope-devnet' }, ...tags],
    data: `${name}, seeded by Holoscope's devnet`,
  })
}

/** Sends a message to a process through the MU. */
export function sendMessage(context: SeedContext, from: Wallet, process: string, tags: Tag[], data = ''): Promise<string> {
  return sendToMu(context.muUrl, from, { target: process, tags: [...base('Message'), ...tags], data })
}

/**
 * Seeds a plan: deploys modules, spawns each process (owned by the deployer, who holds the
 * initial supply), hands tokens out to the users, then sends deterministic traffic from
 * many wallets — transfers (some too large), balance and info queries, mints and burns,
 * and a few messages whose result is an Error after a state change (rolled back).
 */
export async function seed(context: SeedContext, plan: SeedPlan): Promise<Seeded> {
  const log = context.log ?? (() => undefined)
  const fixtures = plan.processes.map((p) => p.fixture)
  if (plan.pingPairs) fixtures.push('lua-token')
  const modules = await deployModules(context, fixtures)
  const moduleOf = (fixture: FixtureName) => modules.find((m) => m.name === fixture)!.id
  const processes: SeededProcess[] = []
  const traffic: [process: string, from: Wallet, tags: Tag[]][] = []
  for (const [index, spec] of plan.processes.entries()) {
    const id = await spawnProcess(context, context.deployer, moduleOf(spec.fixture), spec.name, spec.tags)
    const random = mulberry32(index + 1)
    const people = [context.deployer, ...context.users]
    const pick = () => people[Math.floor(random() * people.length)]!
    const quantity = () => String(1 + Math.floor(random() * 5_000_000))
    const messages: [Wallet, Tag[]][] = context.users.map((user) => [context.deployer, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: user.address }, { name: 'Quantity', value: '1000000000' }]])
    while (messages.length < spec.messages) {
      const from = pick()
      const roll = random()
      if (roll < 0.7) messages.push([from, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: pick().address }, { name: 'Quantity', value: roll < 0.02 ? '999999999999999999' : quantity() }]])
      else if (roll < 0.8) messages.push([from, [{ name: 'Action', value: 'Balance' }, { name: 'Target', value: pick().address }]])
      else if (roll < 0.84) messages.push([from, [{ name: 'Action', value: 'Info' }]])
      else if (roll < 0.88) messages.push([from, [{ name: 'Action', value: 'Mint' }, { name: 'Quantity', value: quantity() }]])
      else if (roll < 0.92) messages.push([from, [{ name: 'Action', value: 'Burn' }, { name: 'Quantity', value: quantity() }]])
      else if (roll < 0.95) messages.push([from, [{ name: 'Action', value: 'Balances' }]])
      else if (roll < 0.975) messages.push([from, [{ name: 'Action', value: 'Transfer' }, { name: 'Quantity', value: quantity() }]])
      else messages.push([from, [{ name: 'Action', value: 'Fail' }]])
    }
    traffic.push(...messages.slice(0, spec.messages).map(([from, tags]): [string, Wallet, Tag[]] => [id, from, tags]))
    processes.push({ id, name: spec.name, fixture: spec.fixture, module: moduleOf(spec.fixture), messages: spec.messages, owner: context.deployer.address })
  }
  // Many senders at once, as on the real network: the SU decides the order, and the gateway
  // bundles what arrives together (one bundle takes arlocal most of a second to store).
  let sent = 0
  await inParallel(traffic, 32, async ([process, from, tags]) => {
    await sendMessage(context, from, process, tags)
    if (++sent % 250 === 0) log(`  ${sent}/${traffic.length} messages`)
  })
  for (const p of processes) log(`seeded ${p.name} (${p.id}): ${p.messages} messages`)
  for (let pair = 0; pair < (plan.pingPairs ?? 0); pair++) {
    const a = await spawnProcess(context, context.deployer, moduleOf('lua-token'), `Ping ${pair + 1} A`)
    const b = await spawnProcess(context, context.deployer, moduleOf('lua-token'), `Ping ${pair + 1} B`)
    for (let i = 0; i < 5; i++) await sendMessage(context, context.users[i % context.users.length]!, i % 2 ? b : a, [{ name: 'Action', value: 'Send-Ping' }, { name: 'To', value: i % 2 ? a : b }], `ping ${i}`)
    await context.muIdle()
    processes.push({ id: a, name: `Ping ${pair + 1} A`, fixture: 'lua-token', module: moduleOf('lua-token'), messages: 0, owner: context.deployer.address })
    processes.push({ id: b, name: `Ping ${pair + 1} B`, fixture: 'lua-token', module: moduleOf('lua-token'), messages: 0, owner: context.deployer.address })
    log(`seeded ping pair ${a} ⇄ ${b}`)
  }
  await context.muIdle()
  return { modules, processes }
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}
