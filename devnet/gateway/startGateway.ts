import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ArweaveSigner, bundleAndSignData, DataItem } from '@dha-team/arbundles'
import Arweave from 'arweave'
import { closeServer, HttpError, json, respond } from '../lib/http.ts'
import { addressOfKey, parseDataItem } from '../lib/dataItems.ts'
import type { Wallet } from '../lib/wallets.ts'

/** Faults a gateway can be started with (all off by default). */
export type GatewayFaults = {
  /** Serve module bytes (transactions tagged Type=Module) with some bytes changed. */
  wrongModuleBytes?: boolean
}

export type GatewayOptions = {
  port?: number
  /** Where arlocal keeps its SQLite database (kept between runs). */
  dbDir: string
  /** The wallet that signs bundles of uploaded data items and pays for them. */
  bundler: Wallet
  faults?: GatewayFaults
  /**
   * The lowest height the network stands at once started (default 1,600,000, as the real
   * network's ~1.5–1.8 M): a network below it jumps to it in one block. A CU checks hash
   * chains only of processes spawned at 1,440,000 or above.
   */
  startHeight?: number
}

/** Where devnet's block heights start: above the official CU's hash-chain threshold (1,440,000). */
export const defaultStartHeight = 1_600_000

export type Gateway = {
  url: string
  /** Posts an Arweave (L1) transaction with `data` and tags, signed by `wallet`, and mines it. */
  postTransaction(wallet: Wallet, data: Uint8Array, tags: { name: string; value: string }[]): Promise<string>
  /** Uploads signed data items (in one bundle) and mines it. */
  upload(items: Uint8Array[]): Promise<void>
  stop(): Promise<void>
}

type ArLocalInstance = {
  app: { listen: (...args: unknown[]) => Server; callback(): (req: unknown, res: unknown) => void; context: { network: { height: number; blocks: number; current: string } } }
  connection: { raw(sql: string): Promise<unknown> }
  log: { logInFile(...args: unknown[]): void }
  start(): Promise<void>
  stop(): Promise<void>
}

const internalHeader = 'x-devnet-internal'
const maxBundleBytes = 8 * 1024 * 1024
/** The largest bundle posted with its data in the body (base64url in JSON, under arlocal's 15 MB limit). */
const inlineBundleBytes = 10 * 1024 * 1024

/**
 * Starts arlocal as the devnet gateway, on 127.0.0.1 only, with the routes it lacks:
 * `/raw/{id}` (the path the CU reads data from), and a bundler endpoint (`POST /tx/arweave`,
 * one signed data item, as `up.arweave.net` takes them) that bundles what it receives into
 * Arweave transactions and mines them, so uploaded items are readable and queryable at once.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { port = 0, dbDir, bundler, faults = {}, startHeight = defaultStartHeight } = options
  const require = createRequire(import.meta.url)
  const mod = require('arlocal') as { default: new (port: number, logs: boolean, dbPath: string, persist: boolean) => ArLocalInstance }
  // arlocal binds every interface and has no host option: give it our own listen on loopback.
  const arlocal = new mod.default(1984, false, dbDir, true)
  let server: Server | undefined
  let listenError: Promise<unknown> = Promise.resolve()
  let url = ''
  const moduleIds = new Map<string, Promise<boolean>>()

  const isModule = (id: string) => {
    let known = moduleIds.get(id)
    if (!known) {
      known = graphql(url, `query($ids:[ID!]){transactions(ids:$ids){edges{node{tags{name value}}}}}`, { ids: [id] }).then((data) => {
        const edges = (data as { transactions: { edges: { node: { tags: { name: string; value: string }[] } }[] } }).transactions.edges
        return edges.some((e) => e.node.tags.some((t) => t.name === 'Type' && t.value === 'Module'))
      })
      moduleIds.set(id, known)
    }
    return known
  }

  arlocal.app.listen = (...args: unknown[]) => {
    const ready = args.find((a) => typeof a === 'function') as (() => void) | undefined
    // Koa composes its middleware when callback() is called: arlocal has added its routes by now.
    const arlocalHandler = arlocal.app.callback()
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      const internal = req.headers[internalHeader] !== undefined
      const raw = /^\/raw\/([A-Za-z0-9_-]{43})$/.exec(path)
      const plain = /^\/([A-Za-z0-9_-]{43})$/.exec(path)
      const id = raw?.[1] ?? plain?.[1]
      if (req.method === 'POST' && (path === '/tx/arweave' || path === '/tx/ans104')) {
        void respond(req, res, async (request) => {
          const item = await parseDataItem(new Uint8Array(await request.arrayBuffer())).catch((error: Error) => {
            throw new HttpError(400, error.message)
          })
          await enqueue(item.raw)
          return json({ id: item.id, timestamp: Date.now(), owner: item.owner.address })
        }, 'gateway')
        return
      }
      if (id && !internal && faults.wrongModuleBytes && (req.method === 'GET' || req.method === 'HEAD')) {
        void respond(req, res, async () => {
          const original = await fetch(`${url}/${id}`, { headers: { [internalHeader]: '1' } })
          if (!original.ok || !(await isModule(id))) return original
          const bytes = new Uint8Array(await original.arrayBuffer())
          // A wrong module that still looks like one: flip bits in the middle of the code.
          for (let i = Math.floor(bytes.length / 2); i < Math.min(bytes.length, Math.floor(bytes.length / 2) + 16); i++) bytes[i]! ^= 0x5a
          return new Response(bytes, { status: 200, headers: { 'content-type': original.headers.get('content-type') ?? 'application/wasm' } })
        }, 'gateway')
        return
      }
      // arlocal lacks /raw/{id}: it serves the same bytes at /{id}.
      if (raw) req.url = `/${raw[1]}`
      arlocalHandler(req, res)
    })
    listenError = new Promise((_, reject) => server!.once('error', reject))
    listenError.catch(() => undefined)
    server.listen(port, '127.0.0.1', ready)
    return server
  }

  // With persist on, arlocal appends every request to ./logs (synchronously): not in our tree.
  arlocal.log.logInFile = () => undefined
  await arlocal.start()
  // arlocal's SQLite syncs to disk on every insert, and each bundled item is several inserts:
  // with a write-ahead log and normal syncing, storing a bundle goes from most of a second to a
  // few milliseconds. A devnet can afford to lose the last moment of writes on a power cut.
  await arlocal.connection.raw('PRAGMA journal_mode = WAL')
  await arlocal.connection.raw('PRAGMA synchronous = NORMAL')
  const listening = server as Server | undefined
  if (!listening) throw new Error('arlocal did not start its server')
  if (!listening.listening) await Promise.race([new Promise((resolve) => listening.once('listening', resolve)), listenError])
  url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`

  await resumeHeight(arlocal)
  const network = arlocal.app.context.network
  if (network.height < startHeight) {
    // arlocal mines its next block at `blocks` and counts `height` up by one: one block lands
    // at the start height, with no million empty blocks below it.
    network.height = startHeight - 1
    network.blocks = startHeight
    const res = await fetch(`${url}/mine`)
    if (!res.ok) throw new Error(`arlocal /mine failed: ${res.status}`)
  }

  const arweave = Arweave.init({ host: '127.0.0.1', port: (listening.address() as AddressInfo).port, protocol: 'http' })
  const signer = new ArweaveSigner(bundler.jwk)
  const funded = new Set<string>()
  // arlocal knows only wallets it has minted for, and refuses transactions (even data items
  // inside a bundle, which a bundler pays for) from others: mint for every signer first.
  const fund = async (address: string) => {
    if (funded.has(address)) return
    const res = await fetch(`${url}/mint/${address}/1000000000000000000`)
    if (!res.ok) throw new Error(`arlocal /mint failed: ${res.status}`)
    funded.add(address)
  }
  // One mine at a time: arlocal's /mine unbundles every unmined bundle, and two at once insert
  // the same items twice (a UNIQUE constraint error, answered 404).
  let mining: Promise<unknown> = Promise.resolve()
  const mine = (): Promise<void> => {
    const next = mining.then(async () => {
      const res = await fetch(`${url}/mine`)
      if (!res.ok) throw new Error(`arlocal /mine failed: ${res.status}`)
    })
    mining = next.catch(() => undefined)
    return next
  }
  const post = async (wallet: Wallet, data: Uint8Array, tags: { name: string; value: string }[]) => {
    await fund(wallet.address)
    const tx = await arweave.createTransaction({ data }, wallet.jwk)
    for (const tag of tags) tx.addTag(tag.name, tag.value)
    await arweave.transactions.sign(tx, wallet.jwk)
    const res = await arweave.transactions.post(tx)
    if (res.status !== 200 && res.status !== 208) throw new Error(`arlocal refused transaction ${tx.id}: ${res.status} ${JSON.stringify(res.data)}`)
    return tx.id
  }

  // The bundler: items posted while a bundle is being written wait for the next one.
  type Pending = { raw: Uint8Array; done: (error?: Error) => void }
  let queue: Pending[] = []
  let flushing: Promise<void> | undefined
  const flush = async (): Promise<void> => {
    while (queue.length) {
      const batch: Pending[] = []
      let bytes = 0
      while (queue.length && (batch.length === 0 || bytes + queue[0]!.raw.byteLength <= maxBundleBytes)) {
        const next = queue.shift()!
        batch.push(next)
        bytes += next.raw.byteLength
      }
      try {
        const items = batch.map((p) => {
          const item = new DataItem(Buffer.from(p.raw))
          // A DataItem read from bytes does not know it is signed, and bundleAndSignData would
          // re-sign it with the bundler's key (a new id, a signature that no longer verifies).
          item.rawId = createHash('sha256').update(item.rawSignature).digest()
          return item
        })
        for (const item of items) await fund(addressOfKey(item.rawOwner))
        await fund(bundler.address)
        const bundle = await bundleAndSignData(items, signer)
        const tx = await bundle.toTransaction({}, arweave, bundler.jwk)
        await arweave.transactions.sign(tx, bundler.jwk)
        // With its data in the body (arlocal takes 15 MB of JSON), arlocal unbundles the items
        // before it answers. Posted in chunks, it unbundles in the background, racing /mine,
        // which unbundles too: the same items inserted twice (a UNIQUE constraint error).
        const res = bytes <= inlineBundleBytes ? await arweave.api.post('tx', tx) : await arweave.transactions.post(tx)
        if (res.status !== 200 && res.status !== 208) throw new Error(`arlocal refused the bundle: ${res.status}`)
        await mine()
        for (const p of batch) p.done()
      } catch (error) {
        for (const p of batch) p.done(error as Error)
      }
    }
  }
  const enqueue = (raw: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ raw, done: (error) => (error ? reject(error) : resolve()) })
      flushing ??= Promise.resolve()
        .then(flush)
        .finally(() => {
          flushing = undefined
        })
    })

  return {
    url,
    async postTransaction(wallet, data, tags) {
      const id = await post(wallet, data, tags)
      await mine()
      return id
    },
    async upload(items) {
      await Promise.all(items.map(enqueue))
    },
    async stop() {
      await flushing?.catch(() => undefined)
      queue = []
      await closeServer(listening)
      await arlocal.stop()
    },
  }
}

/**
 * Resumes arlocal at its highest block. arlocal itself resumes from the block created last by
 * its database's clock, which counts whole seconds: with several blocks in the last second it
 * can pick an older one, and then mine heights again that already exist.
 */
async function resumeHeight(arlocal: ArLocalInstance): Promise<void> {
  const rows = (await arlocal.connection.raw('SELECT id, height FROM blocks ORDER BY height DESC LIMIT 1')) as { id: string; height: number }[]
  const top = rows[0]
  if (!top) return
  const network = arlocal.app.context.network
  network.current = top.id
  network.height = top.height
  network.blocks = top.height + 1
}

/** Runs a GraphQL query on a gateway; throws on transport or GraphQL errors. */
export async function graphql(gatewayUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const res = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [internalHeader]: '1' },
    body: JSON.stringify({ query, variables }),
  })
  if (!res.ok) throw new Error(`GraphQL at ${gatewayUrl} answered ${res.status}: ${(await res.text()).slice(0, 200)}`)
  const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] }
  if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`)
  return body.data
}
