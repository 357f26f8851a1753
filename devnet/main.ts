import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseHostProfile } from '../src/core/host/parseHostProfile.ts'
import type { HostProfile } from '../src/core/host/types.ts'
import type { CuFaults, CuLie } from './cu/startCu.ts'
import { startDevnet } from './startDevnet.ts'

const usage = `npm run devnet -- [options]

Starts a local AO network on 127.0.0.1 (arlocal gateway, SU, MU, CUs), seeds demo processes
the first time, writes .devnet/ready.json and prints it. Ctrl-C stops everything.

  --dir PATH              state directory (default .devnet)
  --fresh                 delete the state (not the wallets) and seed again
  --seed demo|none        what to seed when the state has no seed (default demo)
  --gateway-port N        (default 4000)
  --mu-port N             (default 4002)
  --su-port N             (default 4003)
  --cu-port N             first CU's port; the others follow (default 4004)
  --cus N                 how many CUs (default 2)
  --checkpoint-every K    each CU publishes a checkpoint every K messages (default 100; 0 = never)
  --cu I:key=value,...    faults of CU number I (0-based), e.g.
                            --cu 1:lie-from=50,lies=output+checkpoint-sha
                            --cu 1:delay-ms=2000   --cu 1:fail-status=503
                            --cu 1:fail-status=429,retry-after=2,fail-first=5
                            --cu 1:uncached-below=100   --cu 1:state-202-times=3
                          lies: output, messages, dryrun-balance, checkpoint-sha, state
                          host=PATH[@VERSION] runs CU I's evaluators under that host
                          profile (program path, ao-loader 0.0.49 or 0.0.44), e.g.
                            --cu 1:host=/usr/app/src/effects/worker/evaluator/index.js@0.0.44
                          fail-status=S answers S to all but GET / (fail-first=K: the first
                          K requests only; retry-after=SEC: with that Retry-After header);
                          uncached-below=N answers 425 for results and states before nonce N;
                          state-202-times=K answers 202 (still evaluating) to K /state requests
  --su-break-chain-at N   the SU signs a wrong Hash-Chain at nonce N
  --su-skip-nonce-at N    the SU never gives out nonce N
  --gateway-wrong-module  the gateway serves altered module bytes
  --help`

function cuFaults(specs: string[], count: number): (CuFaults | undefined)[] {
  const faults: (CuFaults | undefined)[] = Array.from({ length: count }, () => undefined)
  for (const spec of specs) {
    const match = /^(\d+):(.+)$/.exec(spec)
    if (!match) throw new Error(`--cu ${spec}: expected I:key=value,... (see --help)`)
    const index = Number(match[1])
    if (index >= count) throw new Error(`--cu ${spec}: there are only ${count} CUs (use --cus)`)
    const f: CuFaults = { ...faults[index] }
    for (const pair of match[2]!.split(',')) {
      const [key, value = ''] = pair.split('=')
      const number = Number(value)
      if (key === 'lies') f.lies = value.split('+') as CuLie[]
      else if (!Number.isInteger(number) || number < 0) throw new Error(`--cu ${spec}: ${key} needs a whole number`)
      else if (key === 'lie-from') f.lieFrom = number
      else if (key === 'delay-ms') f.delayMs = number
      else if (key === 'fail-status') f.failStatus = number
      else if (key === 'fail-first') f.failFirst = number
      else if (key === 'retry-after') f.retryAfter = number
      else if (key === 'uncached-below') f.uncachedBelow = number
      else if (key === 'state-202-times') f.state202Times = number
      else throw new Error(`--cu ${spec}: unknown fault ${key}`)
    }
    if ((f.failFirst !== undefined || f.retryAfter !== undefined) && !f.failStatus) throw new Error(`--cu ${spec}: fail-first and retry-after need fail-status (e.g. fail-status=429)`)
    faults[index] = f
  }
  return faults
}

/** Takes the `host=PATH[@VERSION]` pairs out of `--cu` specs: each CU's host profile, and the specs left. */
function cuHosts(specs: string[], count: number): { hosts: (HostProfile | undefined)[]; rest: string[] } {
  const hosts: (HostProfile | undefined)[] = Array.from({ length: count }, () => undefined)
  const rest: string[] = []
  for (const spec of specs) {
    const match = /^(\d+):(.+)$/.exec(spec)
    if (!match) {
      rest.push(spec)
      continue
    }
    const pairs = match[2]!.split(',').filter((pair) => {
      if (!pair.startsWith('host=')) return true
      if (Number(match[1]) >= count) throw new Error(`--cu ${spec}: there are only ${count} CUs (use --cus)`)
      hosts[Number(match[1])] = parseHostProfile(pair.slice('host='.length))
      return false
    })
    if (pairs.length) rest.push(`${match[1]}:${pairs.join(',')}`)
  }
  return { hosts, rest }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: '.devnet' },
      fresh: { type: 'boolean', default: false },
      seed: { type: 'string', default: 'demo' },
      'gateway-port': { type: 'string', default: '4000' },
      'mu-port': { type: 'string', default: '4002' },
      'su-port': { type: 'string', default: '4003' },
      'cu-port': { type: 'string', default: '4004' },
      cus: { type: 'string', default: '2' },
      'checkpoint-every': { type: 'string', default: '100' },
      cu: { type: 'string', multiple: true, default: [] },
      'su-break-chain-at': { type: 'string' },
      'su-skip-nonce-at': { type: 'string' },
      'gateway-wrong-module': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  if (values.seed !== 'demo' && values.seed !== 'none') throw new Error(`--seed ${values.seed}: expected demo or none`)
  const count = Number(values.cus)
  const hosts = cuHosts(values.cu, count)
  const cuPort = Number(values['cu-port'])
  const dir = resolve(values.dir)
  const optional = (v: string | undefined) => (v === undefined ? {} : { value: Number(v) })
  const breakAt = optional(values['su-break-chain-at'])
  const skipAt = optional(values['su-skip-nonce-at'])
  const devnet = await startDevnet({
    dir,
    fresh: values.fresh,
    seed: values.seed,
    cus: count,
    cuFaults: cuFaults(hosts.rest, count),
    cuHosts: hosts.hosts,
    checkpointEvery: Number(values['checkpoint-every']),
    ports: {
      gateway: Number(values['gateway-port']),
      mu: Number(values['mu-port']),
      su: Number(values['su-port']),
      cus: Array.from({ length: count }, (_, i) => (cuPort ? cuPort + i : 0)),
    },
    suFaults: { ...('value' in breakAt ? { breakChainAt: breakAt.value } : {}), ...('value' in skipAt ? { skipNonceAt: skipAt.value } : {}) },
    gatewayFaults: { wrongModuleBytes: values['gateway-wrong-module'] },
    log: (line) => console.error(`[devnet] ${line}`),
  })
  const readyFile = join(dir, 'ready.json')
  mkdirSync(dir, { recursive: true })
  writeFileSync(readyFile, `${JSON.stringify(devnet.ready, null, 2)}\n`)
  console.log(JSON.stringify(devnet.ready, null, 2))
  console.error(`[devnet] ready: ${readyFile}. Ctrl-C stops it.`)

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    console.error(`[devnet] ${signal}: stopping…`)
    rmSync(readyFile, { force: true })
    devnet.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[devnet] stopping failed: ${String(error)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  const busy = (error as { code?: string }).code === 'EADDRINUSE'
  console.error(`devnet: ${message}${busy ? '\nIs another devnet running? Stop it, or choose other ports (--gateway-port, --su-port, --mu-port, --cu-port; 0 = any free port).' : ''}`)
  process.exit(2)
})
