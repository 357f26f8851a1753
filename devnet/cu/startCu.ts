import { randomUUID } from 'node:crypto'
import type { HostProfile } from '../../src/core/host/types.ts'
import { firstHashChain, nextHashChain } from '../../src/core/message/hashChain.ts'
import { tagValue } from '../../src/core/message/tagValue.ts'
import { buildAoMessage, fromOf, toAoMessage, type AoMessageFields } from '../../src/core/message/toAoMessage.ts'
import type { AoMessage, EvalResult, SuNode, Tag } from '../../src/core/message/types.ts'
import { createWorkerEvaluator, type WorkerEvaluator } from '../../src/eval/createWorkerEvaluator.ts'
import { rollsBack, thrownResult } from '../../src/eval/cuResult.ts'
import { EvaluationTimeoutError, ModuleCompileError } from '../../src/eval/errors.ts'
import { spawnNodeWorker } from '../../src/eval/node/spawnNodeWorker.ts'
import type { Snapshot } from '../../src/eval/types.ts'
import { HttpError, json, listenLoopback, router } from '../lib/http.ts'
import { createLocator } from '../lib/locate.ts'
import type { Wallet } from '../lib/wallets.ts'
import { lieAboutBalances, lieAboutMemory, lieAboutResult, wrongSha256, type CuLie } from './cuLies.ts'
import { loadAssignedMessage } from './loadAssignedMessage.ts'
import { errorText, loadProcessContext, type ProcessContext } from './loadProcessContext.ts'
import { resultsConnection, type ResultNode } from './resultsConnection.ts'
import { memorySha256, signCheckpoint } from './signCheckpoint.ts'

export type { CuLie } from './cuLies.ts'

/**
 * Faults a CU can be started with (all off by default). `lies` apply from nonce `lieFrom`
 * (default 0) on: results of those messages, dry-runs on states at those nonces, checkpoints
 * at those nonces. `delayMs` delays every response; `failStatus` answers every route but
 * `GET /` with that status (e.g. 429, 422, 503): with `failFirst` only the first K requests,
 * then honestly; with `retryAfter` it sends `Retry-After: S`. `uncachedBelow` answers 425 for
 * results, dry-runs and states before that nonce, as the official CU does for old messages it
 * no longer has cached. `state202Times` answers the first K `/state` requests with 202 (still
 * evaluating), then honestly.
 */
export type CuFaults = {
  lieFrom?: number
  lies?: CuLie[]
  delayMs?: number
  failStatus?: number
  failFirst?: number
  retryAfter?: number
  uncachedBelow?: number
  state202Times?: number
}

export type CuOptions = {
  port?: number
  /** Signs checkpoints; its address is the CU's. */
  wallet: Wallet
  /** Where process, module and assigned messages are read, and checkpoints uploaded. */
  gatewayUrl: string
  /** A checkpoint after every message whose nonce is a multiple of this (default 100; 0 = never). */
  checkpointEvery?: number
  faults?: CuFaults
  /** Longest time one message may take (default 60 s); longer counts as an errored message. */
  messageTimeoutMs?: number
  /** `hot` keeps one live instance per process; `cu` copies memory in and out as ao-loader in a CU does. */
  mode?: 'hot' | 'cu'
  /**
   * The host its evaluator workers run under (program path, ao-loader version), as another CU
   * deployment would: its memory (state, checkpoints) differs, its results do not. Default:
   * Holoscope's pinned host.
   */
  host?: HostProfile | undefined
}

export type Cu = { url: string; address: string; stop(): Promise<void> }

/** One evaluated message: its result and where it is in the log. */
type Evaluated = {
  nonce: number
  messageId: string
  timestamp: number
  blockHeight: number
  hashChain: string | undefined
  assignmentId: string
  result: EvalResult
}

type ProcessState = ProcessContext & {
  /** The evaluator at `last` (undefined until needed, or after it failed). */
  hot: WorkerEvaluator | undefined
  last: Evaluated | undefined
  byNonce: Map<number, Evaluated>
  byMessage: Map<string, number>
  /** The first assignment whose Hash-Chain does not follow: nothing from it on is evaluated. */
  broken: { nonce: number; messageId: string; timestamp: number } | undefined
  /** Memory after each checkpointed nonce, to rebuild earlier states from. */
  snapshots: Map<number, Snapshot>
  /** Serialises everything that uses `hot` or moves `last`. */
  lock: Promise<unknown>
}

type SuPage = { page_info: { has_next_page: boolean }; edges: { cursor: string; node: SuNode }[] }

const pageSize = 100

/**
 * Starts a Compute Unit speaking the AO CU HTTP API on 127.0.0.1. Like the real CU it
 * evaluates lazily, when a result, dry-run or state is asked for: it finds the process's SU
 * through the gateway, reads the log in nonce order, checks the hash chain, hydrates
 * assignments from the gateway, evaluates with one hot worker evaluator per process (errored
 * messages roll back), caches every result, and signs and uploads Checkpoint data items every
 * `checkpointEvery` nonces. Unlike the real CU it keeps no 60 s dry-run result cache and no
 * dry-run rate limit: every dry-run is evaluated.
 */
/** Checkpoint snapshots a CU keeps in memory per process, besides every 8th older one. */
const keptSnapshots = 4

export async function startCu(options: CuOptions): Promise<Cu> {
  const { port = 0, wallet, gatewayUrl, checkpointEvery = 100, faults = {}, messageTimeoutMs = 60_000, mode = 'hot', host } = options
  const unitId = randomUUID()
  const lies = new Set(faults.lies ?? [])
  const lieFrom = faults.lieFrom ?? 0
  const resultLies = new Set([...lies].filter((l) => l === 'output' || l === 'messages'))
  const locator = createLocator(gatewayUrl)
  const sources = { gatewayUrl, locator, wasm: new Map<string, Promise<Uint8Array>>() }
  const loading = new Map<string, Promise<ProcessState>>()
  const loaded = new Map<string, ProcessState>()
  const live = new Set<WorkerEvaluator>()
  const uploads = new Set<Promise<void>>()
  let stopping = false

  const processState = (id: string) => {
    let state = loading.get(id)
    if (!state) {
      state = loadProcessContext(id, sources).then((context) => {
        const s: ProcessState = { ...context, hot: undefined, last: undefined, byNonce: new Map(), byMessage: new Map(), broken: undefined, snapshots: new Map(), lock: Promise.resolve() }
        loaded.set(id, s)
        return s
      })
      loading.set(id, state)
      // A process that could not be loaded (not yet on the gateway, refused) is tried afresh next time.
      state.catch(() => loading.delete(id))
    }
    return state
  }

  const withLock = <T>(state: ProcessState, work: () => Promise<T>): Promise<T> => {
    const run = state.lock.then(work)
    state.lock = run.catch(() => undefined)
    return run
  }

  const newEvaluator = async (state: ProcessState) => {
    if (stopping) throw new HttpError(503, 'this CU is stopping')
    let evaluator: WorkerEvaluator
    try {
      evaluator = await createWorkerEvaluator(spawnNodeWorker, state.wasm, state.options, { mode, messageTimeoutMs, hostProfile: host })
    } catch (error) {
      if (error instanceof ModuleCompileError) throw new HttpError(422, `module ${state.module.id} of process ${state.id} cannot be loaded: ${error.message}`)
      throw error
    }
    if (stopping) {
      evaluator.terminate()
      throw new HttpError(503, 'this CU is stopping')
    }
    live.add(evaluator)
    const terminate = evaluator.terminate
    return {
      ...evaluator,
      terminate: () => {
        live.delete(evaluator)
        terminate()
      },
    }
  }

  /** The SU log of a process from after nonce `after` (exclusive) to `to` (inclusive), in order. */
  async function* logOf(state: ProcessState, after: number | undefined, to: number): AsyncGenerator<SuNode> {
    let from = after
    for (;;) {
      const query = new URLSearchParams({ 'process-id': state.id, 'to-nonce': String(to), limit: String(pageSize) })
      if (from !== undefined) query.set('from-nonce', String(from))
      const page = await suGet<SuPage>(`${state.suUrl}/${state.id}?${query}`, `the log of process ${state.id}`)
      let last = from
      for (const edge of page.edges) {
        const nonce = nonceOf(edge.node)
        if (last !== undefined && nonce <= last) continue
        last = nonce
        yield edge.node
      }
      // The SU may say there is a next page and then give an empty one.
      if (!page.page_info.has_next_page || last === from) return
      from = last
    }
  }

  const aoMessageOf = async (node: SuNode): Promise<AoMessage> => (node.message ? toAoMessage(node) : toAoMessage(node, await loadAssignedMessage(gatewayUrl, node)))

  /**
   * A new evaluator holding the state after nonce `at` (a fresh instance when undefined):
   * from the nearest kept snapshot at or before it, or from the start, replaying the log.
   * Messages whose result rolled back are skipped: they left memory as it was.
   */
  const evaluatorAt = async (state: ProcessState, at: number | undefined) => {
    const evaluator = await newEvaluator(state)
    try {
      if (at === undefined) return evaluator
      const base = Math.max(-1, ...[...state.snapshots.keys()].filter((n) => n <= at))
      if (base >= 0) await evaluator.restore(state.snapshots.get(base)!)
      if (base === at) return evaluator
      for await (const node of logOf(state, base >= 0 ? base : undefined, at)) {
        const known = state.byNonce.get(nonceOf(node))
        if (known && rollsBack(known.result)) continue
        await evaluator.evaluate([await aoMessageOf(node)], state.env)
      }
      return evaluator
    } catch (error) {
      evaluator.terminate()
      throw error
    }
  }

  const hotOf = async (state: ProcessState) => (state.hot ??= await evaluatorAt(state, state.last?.nonce))

  /** Runs `work` on the hot evaluator; a message that timed out becomes an errored result. */
  const onHot = async (state: ProcessState, work: (evaluator: WorkerEvaluator) => Promise<EvalResult>): Promise<EvalResult> => {
    const evaluator = await hotOf(state)
    try {
      return await work(evaluator)
    } catch (error) {
      // The worker is gone or in an unknown state: the next use rebuilds it at `last`.
      evaluator.terminate()
      state.hot = undefined
      if (error instanceof EvaluationTimeoutError) return thrownResult(error)
      throw error
    }
  }

  const chainError = (state: ProcessState) => new HttpError(422, `HashChain invalid on message ${state.broken!.messageId}`)

  /** The Hash-Chain the next assignment must carry, undefined when it cannot be known. */
  const expectedLink = (state: ProcessState, nonce: number): string | undefined => {
    const last = state.last
    if (!last) return nonce === 0 ? firstHashChain(state.id) : undefined
    if (!last.hashChain) return undefined
    try {
      return nextHashChain(last.assignmentId, last.hashChain)
    } catch {
      return '(the previous assignment has no valid link)'
    }
  }

  /**
   * Moves the hot state forward to nonce `target` (or up to the last message at or before
   * `until`, a timestamp), caching every result and checkpointing. Call it holding the lock.
   *
   * @throws HttpError 422 when the hash chain breaks before the target
   */
  const advance = async (state: ProcessState, target: number, until?: number) => {
    const blocked = () => state.broken && target >= state.broken.nonce && (until === undefined || state.broken.timestamp <= until)
    if (blocked()) throw chainError(state)
    if (state.last && state.last.nonce >= target) return
    for await (const node of logOf(state, state.last?.nonce, target)) {
      const a = node.assignment.tags
      const nonce = nonceOf(node)
      const timestamp = Number.parseInt(tagValue(a, 'Timestamp') ?? '0', 10)
      if (until !== undefined && timestamp > until) break
      const messageId = node.message?.id ?? tagValue(a, 'Message') ?? node.assignment.id
      const hashChain = tagValue(a, 'Hash-Chain')
      const expected = expectedLink(state, nonce)
      if (expected !== undefined && hashChain !== expected) {
        state.broken = { nonce, messageId, timestamp }
        break
      }
      const msg = await aoMessageOf(node)
      const result = await onHot(state, async (evaluator) => (await evaluator.evaluate([msg], state.env))[0]!.result)
      const entry: Evaluated = {
        nonce,
        messageId,
        timestamp,
        blockHeight: Number.parseInt(tagValue(a, 'Block-Height') ?? '0', 10),
        hashChain,
        assignmentId: node.assignment.id,
        result,
      }
      state.byNonce.set(nonce, entry)
      if (!state.byMessage.has(messageId)) state.byMessage.set(messageId, nonce)
      state.last = entry
      if (checkpointEvery > 0 && nonce > 0 && nonce % checkpointEvery === 0) await checkpoint(state, entry)
    }
    if (blocked()) throw chainError(state)
  }

  /** Keeps the memory after `entry` and uploads it as a signed Checkpoint, in the background. */
  const checkpoint = async (state: ProcessState, entry: Evaluated) => {
    if (stopping || state.snapshots.has(entry.nonce) || !state.hot) return
    const snapshot = await state.hot.snapshot()
    state.snapshots.set(entry.nonce, snapshot)
    // Keep a ladder, not every one: the newest few, and every 8th older one.
    const kept = [...state.snapshots.keys()].sort((a, b) => a - b)
    for (const [i, nonce] of kept.entries()) {
      if (i < kept.length - keptSnapshots && (nonce / checkpointEvery) % 8 !== 0) state.snapshots.delete(nonce)
    }
    const point = {
      moduleId: state.module.id,
      processId: state.id,
      nonce: entry.nonce,
      timestamp: entry.timestamp,
      blockHeight: entry.blockHeight,
      unitId,
      assignmentId: entry.assignmentId,
      hashChain: entry.hashChain,
    }
    const lie = lies.has('checkpoint-sha') && entry.nonce >= lieFrom
    const upload = (async () => {
      const item = await signCheckpoint(wallet, point, snapshot.memory, lie ? wrongSha256(memorySha256(snapshot.memory)) : undefined)
      const res = await fetch(`${gatewayUrl}/tx/arweave`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: item.raw })
      if (!res.ok) throw new Error(`the gateway answered ${res.status}: ${errorText(await res.text())}`)
    })().catch((error: unknown) => {
      console.error(`[cu] checkpoint of process ${state.id} at nonce ${entry.nonce} not uploaded: ${error instanceof Error ? error.message : String(error)}`)
    })
    uploads.add(upload)
    void upload.finally(() => uploads.delete(upload))
  }

  const suGet = async <T>(url: string, what: string): Promise<T> => {
    const res = await fetch(url)
    const text = await res.text()
    if (!res.ok) throw new HttpError(res.status < 500 ? 404 : 502, `${what}: the SU answered ${res.status} ${errorText(text)}`)
    return JSON.parse(text) as T
  }

  /** The nonce of a message of a process, from the SU (the process itself is nonce 0). */
  const nonceOfMessage = async (state: ProcessState, messageId: string) =>
    messageId === state.id ? 0 : nonceOf(await suGet<SuNode>(`${state.suUrl}/${messageId}?process-id=${state.id}`, `message ${messageId} of process ${state.id}`))

  const latestNonce = async (state: ProcessState) => nonceOf(await suGet<SuNode>(`${state.suUrl}/${state.id}/latest`, `the latest message of process ${state.id}`))

  /** The last evaluated message at or before nonce `nonce` (results are cached contiguously). */
  const evaluatedAt = (state: ProcessState, nonce: number): Evaluated | undefined => {
    for (let n = Math.min(nonce, state.last?.nonce ?? -1); n >= 0; n--) {
      const entry = state.byNonce.get(n)
      if (entry) return entry
    }
    return undefined
  }

  const reported = (entry: Evaluated): ResultNode => {
    const lied = resultLies.size && entry.nonce >= lieFrom ? lieAboutResult(entry.result, resultLies, wallet.address) : entry.result
    return resultNode(lied)
  }

  /** The official CU's 425 for a nonce before its cache (the `uncachedBelow` fault). */
  const refuseUncached = (nonce: number) => {
    if (faults.uncachedBelow !== undefined && nonce < faults.uncachedBelow) {
      throw new HttpError(425, `message at nonce ${nonce} not found cached, and earlier than latest known nonce ${faults.uncachedBelow}`)
    }
  }
  let busyStates = faults.state202Times ?? 0

  const result = async (_request: Request, url: URL, [messageId]: string[]) => {
    const state = await processState(processIdOf(url))
    let nonce = state.byMessage.get(messageId!)
    if (nonce === undefined) {
      const target = await nonceOfMessage(state, messageId!)
      await withLock(state, () => advance(state, target))
      nonce = target
    }
    const entry = state.byNonce.get(nonce)
    if (!entry) throw new HttpError(404, `message ${messageId} (nonce ${nonce}) of process ${state.id} is not in its log`)
    refuseUncached(nonce)
    return json(reported(entry))
  }

  const results = (_request: Request, url: URL, [processId]: string[]) => {
    const state = loaded.get(processId!)
    const q = url.searchParams
    return json(resultsConnection(state?.byNonce.values() ?? [], { from: q.get('from'), to: q.get('to'), sort: q.get('sort'), limit: q.get('limit') }, (e) => reported(e as Evaluated)))
  }

  const dryRun = async (request: Request, url: URL) => {
    const processId = processIdOf(url)
    let body: unknown
    try {
      body = await request.json()
    } catch {
      throw new HttpError(400, 'the dry-run body must be a JSON message (Id, Owner, Target, Anchor, Data, Tags)')
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'the dry-run body must be a JSON object')
    const fields = body as Record<string, unknown>
    const tags = fields['Tags'] ?? []
    if (!Array.isArray(tags) || !tags.every((t: Tag) => t && typeof t.name === 'string' && typeof t.value === 'string')) {
      throw new HttpError(400, 'Tags must be an array of {name, value} strings')
    }
    const state = await processState(processId)
    const to = url.searchParams.get('to')
    const target = to ? await nonceOfMessage(state, to) : await latestNonce(state)
    if (to) refuseUncached(target)
    const message = (at: Evaluated) =>
      buildAoMessage({
        Timestamp: at.timestamp,
        'Block-Height': at.blockHeight,
        Cron: false,
        Target: state.id,
        ...fields,
        Tags: tags as Tag[],
        From: fromOf(tags as Tag[], fields['Owner'] as string),
        'Read-Only': true,
      } as AoMessageFields)
    const onHotState = await withLock(state, async () => {
      if (state.last && state.last.nonce > target) return undefined
      await advance(state, target)
      const at = state.last
      if (!at) throw new HttpError(404, `process ${state.id} has no messages yet`)
      return { at, result: await onHot(state, (evaluator) => evaluator.query(message(at), state.env)) }
    })
    let answer = onHotState
    if (!answer) {
      // An earlier state than the hot one: rebuilt in a temporary evaluator.
      const at = evaluatedAt(state, target)!
      const evaluator = await evaluatorAt(state, at.nonce)
      try {
        answer = { at, result: await evaluator.query(message(at), state.env) }
      } catch (error) {
        if (!(error instanceof EvaluationTimeoutError)) throw error
        answer = { at, result: thrownResult(error) }
      } finally {
        evaluator.terminate()
      }
    }
    const lie = lies.has('dryrun-balance') && answer.at.nonce >= lieFrom
    return json(resultNode(lie ? lieAboutBalances(answer.result) : answer.result))
  }

  const stateOf = async (_request: Request, url: URL, [processId]: string[]) => {
    const toParam = url.searchParams.get('to')
    if (toParam !== null && toParam !== '' && !/^\d+$/.test(toParam)) throw new HttpError(400, `to must be a timestamp in ms, not ${JSON.stringify(toParam)}`)
    const until = toParam ? Number(toParam) : undefined
    if (busyStates > 0) {
      busyStates--
      return json({ message: `Evaluation of process "${processId}" to "${toParam || 'latest'}" is in progress.` }, 202)
    }
    const state = await processState(processId!)
    const latest = await latestNonce(state)
    const found = await withLock(state, async () => {
      await advance(state, latest, until)
      const at = until === undefined ? state.last : [...state.byNonce.values()].filter((e) => e.timestamp <= until).at(-1)
      if (!at) throw new HttpError(404, `process ${state.id} has no message${until === undefined ? '' : ` at or before ${until}`}`)
      if (at !== state.last) return { at, memory: undefined }
      return { at, memory: (await (await hotOf(state)).snapshot()).memory }
    })
    if (until !== undefined) refuseUncached(found.at.nonce)
    let memory = found.memory ?? state.snapshots.get(found.at.nonce)?.memory
    if (!memory) {
      const evaluator = await evaluatorAt(state, found.at.nonce)
      try {
        memory = (await evaluator.snapshot()).memory
      } finally {
        evaluator.terminate()
      }
    }
    if (lies.has('state') && found.at.nonce >= lieFrom) memory = lieAboutMemory(memory)
    return new Response(memory as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': 'application/octet-stream',
        // Not exposed to browsers (no Access-Control-Expose-Headers), as on the real CU.
        'Last-Ordinate': String(found.at.nonce),
        'Last-Timestamp': String(found.at.timestamp),
        'Last-Block-Height': String(found.at.blockHeight),
      },
    })
  }

  const routes = router([
    ['GET', /^\/$/, () => json({ address: wallet.address, timestamp: Date.now() })],
    ['GET', /^\/result\/([^/]+)$/, result],
    ['GET', /^\/results\/([^/]+)$/, results],
    ['POST', /^\/dry-run$/, dryRun],
    ['GET', /^\/state\/([^/]+)$/, stateOf],
  ])
  let failuresLeft = faults.failFirst ?? Number.POSITIVE_INFINITY
  const handle = async (request: Request) => {
    if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs))
    const { pathname } = new URL(request.url)
    const healthcheck = (request.method === 'GET' || request.method === 'HEAD') && pathname === '/'
    if (faults.failStatus && !healthcheck && request.method !== 'OPTIONS' && failuresLeft > 0) {
      failuresLeft--
      const what = faults.failFirst === undefined ? 'to everything' : `to its first ${faults.failFirst} requests`
      return json({ error: `this CU answers ${faults.failStatus} ${what} (fault)` }, faults.failStatus, faults.retryAfter === undefined ? {} : { 'Retry-After': String(faults.retryAfter) })
    }
    return routes(request)
  }

  const listening = await listenLoopback(port, handle, 'cu')
  return {
    url: listening.url,
    address: wallet.address,
    async stop() {
      stopping = true
      while (uploads.size) await Promise.all([...uploads])
      for (const evaluator of [...live]) evaluator.terminate()
      await listening.close()
    },
  }
}

function processIdOf(url: URL): string {
  const id = url.searchParams.get('process-id')
  if (!id) throw new HttpError(400, 'process-id is required')
  return id
}

function nonceOf(node: SuNode): number {
  const nonce = Number.parseInt(tagValue(node.assignment.tags, 'Nonce') ?? '', 10)
  if (Number.isNaN(nonce)) throw new HttpError(502, `assignment ${node.assignment.id} has no Nonce tag`)
  return nonce
}

function resultNode(result: EvalResult): ResultNode {
  const node: ResultNode = { Messages: result.Messages, Spawns: result.Spawns, Assignments: result.Assignments, Output: result.Output }
  if (result.Error !== undefined) node.Error = result.Error
  if (result.GasUsed !== undefined) node.GasUsed = result.GasUsed
  return node
}
