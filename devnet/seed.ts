import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Tag } from '../src/core/message/types.ts'
import { aosGuestBookSource, aosProcessTags, aosTokenSource } from '../processes/aosTokenLog.ts'
import { mulberry32 } from '../processes/tokenLog.ts'
import { signDataItem } from './lib/dataItems.ts'
import type { Wallet } from './lib/wallets.ts'

/** One fixture module built by `npm run fixtures` (processes/build). */
export type FixtureName = 'lua-token' | 'lua-token4' | 'as-token' | 'aos-2.0.6' | 'aos-2.0.4-32' | 'aos-sqlite'

/** What an aos process is loaded with, by an `Eval` from its owner: a token, or a SQLite guest book. */
export type AosProgram = 'token' | 'guest-book'

/** A demo process to spawn and the traffic to send it. */
export type SeedProcess = {
  name: string
  fixture: FixtureName
  /** Messages after the spawn (for an aos process, after the Eval that loads its program). */
  messages: number
  /** Extra process tags. */
  tags?: Tag[]
  /**
   * An aos module's process, made the way aos users make one: spawned with aos's process tags
   * (trusting the MU as its Authority), then loaded with this program by an Eval from the owner.
   */
  aos?: AosProgram
  /**
   * For an aos token: also spawn an aos process owned by a user, give it tokens, and have it
   * send this many transfers to the token (process-to-process messages relayed by the MU).
   */
  processTransfers?: number
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
    { name: 'Holoscope Demo Token (aos 2.0.6, wasm64)', fixture: 'aos-2.0.6', messages: 1100, aos: 'token', processTransfers: 6 },
    { name: 'Holoscope Demo Token (aos 2.0.4, wasm32)', fixture: 'aos-2.0.4-32', messages: 250, aos: 'token' },
    { name: 'Holoscope Guest Book (aos with SQLite)', fixture: 'aos-sqlite', messages: 40, aos: 'guest-book' },
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
  /** The MU's wallet address: aos processes trust it to relay messages from other processes. */
  muAddress?: string
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
    const named = meta.tags.some((t) => t.name === 'Name')
    const id = await context.gateway.postTransaction(context.deployer, wasm, named ? meta.tags : [...meta.tags, { name: 'Name', value: `holoscope-${name}` }])
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

/**
 * Spawns an aos process as aos does (its process tags, the MU as Authority), then loads a
 * program into it with an Eval from its owner; resolves once both are scheduled.
 */
export async function spawnAosProcess(context: SeedContext, owner: Wallet, module: string, name: string, program: AosProgram | undefined, tags: Tag[] = []): Promise<string> {
  if (!context.muAddress) throw new Error('seeding an aos process needs the MU wallet address (SeedContext.muAddress): aos trusts only its Authority to relay messages')
  const id = await spawnProcess(context, owner, module, name, [...aosProcessTags(context.muAddress), ...tags])
  if (program) await sendMessage(context, owner, id, [{ name: 'Action', value: 'Eval' }], program === 'token' ? aosTokenSource : aosGuestBookSource)
  return id
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
  const traffic: Traffic[] = []
  for (const [index, spec] of plan.processes.entries()) {
    const id = spec.aos
      ? await spawnAosProcess(context, context.deployer, moduleOf(spec.fixture), spec.name, spec.aos, spec.tags)
      : await spawnProcess(context, context.deployer, moduleOf(spec.fixture), spec.name, spec.tags)
    const messages = spec.aos === 'guest-book' ? guestBookTraffic(context, index + 1, spec.messages) : tokenTraffic(context, index + 1, spec.messages, spec.aos === 'token')
    traffic.push(...messages.map(([from, tags, data]): Traffic => [id, from, tags, data]))
    processes.push({ id, name: spec.name, fixture: spec.fixture, module: moduleOf(spec.fixture), messages: spec.messages, owner: context.deployer.address })
  }
  // Many senders at once, as on the real network: the SU decides the order, and the gateway
  // bundles what arrives together (one bundle takes arlocal most of a second to store).
  let sent = 0
  await inParallel(traffic, 32, async ([process, from, tags, data]) => {
    await sendMessage(context, from, process, tags, data)
    if (++sent % 250 === 0) log(`  ${sent}/${traffic.length} messages`)
  })
  for (const p of processes) log(`seeded ${p.name} (${p.id}): ${p.messages} messages`)
  for (const [index, spec] of plan.processes.entries()) {
    if (spec.processTransfers) processes.push(await seedProcessTransfers(context, processes[index]!, moduleOf(spec.fixture), spec.processTransfers))
  }
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

/** One message to send: to which process, from whom, its tags and data. */
type Traffic = [process: string, from: Wallet, tags: Tag[], data: string]

/**
 * A token's traffic from many wallets: the owner hands tokens out, then transfers (some too
 * large, some without a recipient), balance and info queries, mints and burns (by anyone: a
 * non-owner's mint fails), Balances, and Fail (state changed, then an Error). An aos token also
 * gets Evals from its owner, one of them failing.
 */
function tokenTraffic(context: SeedContext, seed: number, count: number, aos: boolean): [Wallet, Tag[], string][] {
  const random = mulberry32(seed)
  const people = [context.deployer, ...context.users]
  const pick = () => people[Math.floor(random() * people.length)]!
  const quantity = () => String(1 + Math.floor(random() * 5_000_000))
  const action = (value: string): Tag => ({ name: 'Action', value })
  const messages: [Wallet, Tag[], string][] = context.users.map((user) => [context.deployer, [action('Transfer'), { name: 'Recipient', value: user.address }, { name: 'Quantity', value: '1000000000' }], ''])
  while (messages.length < count) {
    const from = pick()
    const roll = random()
    if (roll < 0.7) messages.push([from, [action('Transfer'), { name: 'Recipient', value: pick().address }, { name: 'Quantity', value: roll < 0.02 ? '999999999999999999' : quantity() }], ''])
    else if (roll < 0.8) messages.push([from, [action('Balance'), { name: 'Target', value: pick().address }], ''])
    else if (roll < 0.84) messages.push([from, [action('Info')], ''])
    else if (roll < 0.88) messages.push([from, [action('Mint'), { name: 'Quantity', value: quantity() }], ''])
    else if (roll < 0.92) messages.push([from, [action('Burn'), { name: 'Quantity', value: quantity() }], ''])
    else if (roll < 0.95) messages.push([from, [action('Balances')], ''])
    else if (aos && roll < 0.96) messages.push([context.deployer, [action('Eval')], random() < 0.7 ? 'return #Inbox' : 'error("an Eval that fails")'])
    else if (roll < 0.975) messages.push([from, [action('Transfer'), { name: 'Quantity', value: quantity() }], ''])
    else messages.push([from, [action('Fail')], ''])
  }
  return messages.slice(0, count)
}

/** A guest book's traffic: visits with notes (an empty note is refused by the table), and counts asked. */
function guestBookTraffic(context: SeedContext, seed: number, count: number): [Wallet, Tag[], string][] {
  const random = mulberry32(seed)
  const people = [context.deployer, ...context.users]
  return Array.from({ length: count }, (_, i): [Wallet, Tag[], string] => {
    const from = people[Math.floor(random() * people.length)]!
    const roll = random()
    if (roll < 0.15) return [from, [{ name: 'Action', value: 'Visits' }], '']
    return [from, [{ name: 'Action', value: 'Visit' }], roll < 0.25 ? '' : `visit ${i + 1}: hello from ${from.address.slice(0, 6)}`]
  })
}

/**
 * Transfers from another process: spawns an aos process owned by the first user, has the
 * owner give it tokens, then has its owner Eval `Send` transfers to the token, which the MU
 * relays (From-Process). Returns the new process.
 */
async function seedProcessTransfers(context: SeedContext, token: SeededProcess, module: string, count: number): Promise<SeededProcess> {
  const owner = context.users[0] ?? context.deployer
  const name = `${token.name}: a wallet process`
  const id = await spawnAosProcess(context, owner, module, name, undefined)
  await sendMessage(context, context.deployer, token.id, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: id }, { name: 'Quantity', value: '50000000' }])
  await context.muIdle()
  for (let i = 0; i < count; i++) {
    const recipient = context.users[(i % Math.max(1, context.users.length - 1)) + 1]?.address ?? context.deployer.address
    const send = `Send({ Target = "${token.id}", Action = "Transfer", Recipient = "${recipient}", Quantity = "${1000 * (i + 1)}", ["X-Memo"] = "from a process ${i + 1}" })`
    await sendMessage(context, owner, id, [{ name: 'Action', value: 'Eval' }], i === count - 1 ? send.replace(/Quantity = "\d+"/, 'Quantity = "999999999999999999999"') : send)
  }
  await context.muIdle()
  context.log?.(`seeded ${name} (${id}): ${count} transfers to ${token.id}`)
  return { id, name, fixture: token.fixture, module, messages: count + 1, owner: owner.address }
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}
