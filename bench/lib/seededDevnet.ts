// A devnet for benchmarks with one seeded token process of many messages, posted straight to the
// SU (not through the MU, whose CU would evaluate every message). Seeding is slow (signing and
// bundling each message), so the devnet's state is kept in .cache/bench-<name>/<count>/ and
// reused by the next run while it is valid.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signDataItem } from '../../devnet/lib/dataItems.ts'
import type { Wallet } from '../../devnet/lib/wallets.ts'
import { startDevnet, type Devnet } from '../../devnet/startDevnet.ts'
import { sharedWalletsDir } from '../../devnet/testing.ts'
import type { Fixture } from '../../processes/loadFixture.ts'
import { mulberry32 } from '../../processes/tokenLog.ts'
import type { Tag } from '../../src/core/message/types.ts'
import { fetchLatestNonce } from '../../src/net/su.ts'

/** What to seed: a benchmark's name (its cache folder), the fixture, the message count, devnet options. */
export type SeedOptions = { name: string; fixture: Fixture; count: number; reseed?: boolean; suPageLatencyMs?: number; cus?: number }

export type SeedRecord = { key: string; processId: string; seedSeconds: number }

/**
 * A devnet on free ports whose SU answers pages `suPageLatencyMs` late, with a seeded process of
 * `count` messages: the state kept from an earlier run when it is still valid (same fixture
 * build, message count and SU wallet, and the SU still has the whole log), else seeded afresh.
 */
export async function seededDevnet(options: SeedOptions): Promise<{ devnet: Devnet; seeded: SeedRecord; reused: boolean }> {
  const { name, fixture, count, reseed = false, suPageLatencyMs = 0, cus = 1 } = options
  const dir = fileURLToPath(new URL(`../../.cache/bench-${name}/${count}/`, import.meta.url))
  const recordFile = join(dir, 'bench-seed.json')
  const start = (fresh: boolean) => startDevnet({ dir, walletsDir: sharedWalletsDir, fresh, seed: 'none', cus, checkpointEvery: 0, suPageLatencyMs })
  const reuse = !reseed && existsSync(recordFile)
  let devnet = await start(!reuse)
  const key = `v1 ${fixture.sha256} ${count} ${devnet.su.address}`
  if (reuse) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as SeedRecord
    const latest = record.key === key ? await fetchLatestNonce(devnet.su.url, record.processId).catch(() => undefined) : undefined
    if (latest === count) return { devnet, seeded: record, reused: true }
    await devnet.stop()
    devnet = await start(true)
  }
  try {
    const started = performance.now()
    const processId = await seedProcess(devnet, fixture, count)
    const record: SeedRecord = { key, processId, seedSeconds: (performance.now() - started) / 1000 }
    writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`)
    return { devnet, seeded: record, reused: false }
  } catch (error) {
    await devnet.stop()
    throw error
  }
}

/**
 * Deploys the fixture module, spawns a token process on the SU and schedules `count` signed
 * messages from the deployer and the users straight on the SU, many at once (the SU decides the
 * order, as on the network). Returns the process id.
 */
async function seedProcess(devnet: Devnet, fixture: Fixture, count: number): Promise<string> {
  const deployer = devnet.wallets.deployer!
  const users = Object.entries(devnet.wallets)
    .filter(([name]) => name.startsWith('user-'))
    .map(([, wallet]) => wallet)
  const moduleId = await devnet.gateway.postTransaction(deployer, fixture.wasm, [...fixture.tags, { name: 'Name', value: `holoscope-bench-${fixture.name}` }])
  const ao = (type: string): Tag[] => [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: type },
  ]
  const spawned = await signDataItem(deployer, {
    tags: [...ao('Process'), { name: 'Module', value: moduleId }, { name: 'Scheduler', value: devnet.su.address }, { name: 'Name', value: 'Holoscope Bench Token' }],
    data: 'Holoscope benchmark',
  })
  const schedule = async (raw: Uint8Array<ArrayBuffer>, processId?: string) => {
    const res = await fetch(`${devnet.su.url}/${processId ? `?process-id=${processId}` : ''}`, { method: 'POST', body: raw })
    if (!res.ok) throw new Error(`the SU refused an item: ${res.status} ${await res.text()}`)
  }
  await schedule(spawned.raw)

  const random = mulberry32(7)
  const everyone = [deployer, ...users]
  const anyone = () => everyone[Math.floor(random() * everyone.length)]!
  const amount = () => String(1 + Math.floor(random() * 2_000_000))
  // Actions by weight; the first messages hand tokens out so that transfers mostly succeed.
  const actions: [weight: number, make: () => Tag[]][] = [
    [70, () => [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: anyone().address }, { name: 'Quantity', value: amount() }]],
    [8, () => [{ name: 'Action', value: 'Balance' }, { name: 'Target', value: anyone().address }]],
    [4, () => [{ name: 'Action', value: 'Info' }]],
    [4, () => [{ name: 'Action', value: 'Mint' }, { name: 'Quantity', value: amount() }]],
    [4, () => [{ name: 'Action', value: 'Burn' }, { name: 'Quantity', value: amount() }]],
    [5, () => [{ name: 'Action', value: 'Total-Supply' }]],
    [3, () => [{ name: 'Action', value: 'Transfer' }, { name: 'Quantity', value: amount() }]],
    [2, () => [{ name: 'Action', value: 'Fail' }]],
  ]
  const totalWeight = actions.reduce((sum, [w]) => sum + w, 0)
  const traffic: [Wallet, Tag[]][] = users.map((user) => [deployer, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: user.address }, { name: 'Quantity', value: '1000000000' }]])
  while (traffic.length < count) {
    let roll = random() * totalWeight
    const [, make] = actions.find(([weight]) => (roll -= weight) < 0) ?? actions[0]!
    traffic.push([anyone(), make()])
  }

  let next = 0
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) {
        const [from, tags] = traffic[next++]!
        const signed = await signDataItem(from, { target: spawned.id, tags: [...ao('Message'), ...tags] })
        await schedule(signed.raw, spawned.id)
      }
    }),
  )
  return spawned.id
}
