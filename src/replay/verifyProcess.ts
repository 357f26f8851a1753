import { defaultCheckpointPolicy, type CheckpointPolicy } from '../core/checkpoint/checkpointPolicy.ts'
import { checkpointDue } from '../core/checkpoint/checkpointDue.ts'
import type { Checkpoint } from '../core/checkpoint/types.ts'
import { BaseError } from '../core/errors/BaseError.ts'
import { describeError } from '../core/errors/describeError.ts'
import { defaultHostProfile, hostProfilesWith, sameHost } from '../core/host/knownHostProfiles.ts'
import { memoryDependsOnHost } from '../core/host/memoryDependsOnHost.ts'
import type { HostProfile } from '../core/host/types.ts'
import { tagValue } from '../core/message/tagValue.ts'
import { toAoEnv } from '../core/message/toAoEnv.ts'
import { buildAoMessage, fromOf, toAoMessage } from '../core/message/toAoMessage.ts'
import type { AoEnv, AoMessage, EvalResult, Owner, SuNode, SuProcess, Tag } from '../core/message/types.ts'
import { moduleOptionsFromTags } from '../core/module/moduleOptionsFromTags.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import { cumulativeGenesis, nextCumulativeHash } from '../core/verify/cumulativeHash.ts'
import { decodeBalances } from '../core/verify/decodeBalances.ts'
import { diffResults } from '../core/verify/diffResults.ts'
import { buildReceipt, checkReceipt, type ReceiptCheck, type VerificationReceipt } from '../core/verify/receipt.ts'
import { isMemoryClaim, type Checked, type Trusted, type Verdict } from '../core/verify/verdict.ts'
import { createWorkerEvaluator, type WorkerEvaluator, type WorkerHandle } from '../eval/createWorkerEvaluator.ts'
import type { Snapshot } from '../eval/types.ts'
import type { CheckpointClaim } from '../net/checkpoints.ts'
import { fetchResult } from '../net/cu.ts'
import { fetchData, fetchTransactionMeta, findProcessSu } from '../net/gateway.ts'
import { fetchLatestNonce, fetchSuProcess } from '../net/su.ts'
import { trackWaits, type RetryingRequestOptions, type RetryPolicy, type RetryWait } from '../net/withRetries.ts'
import type { Store, StoredResult, StoredVerdict } from '../store/openStore.ts'
import { checkCheckpoint, checkDryRun, checkState, gatherClaims, type ClaimDivergence, type ClaimOutcome, type CuClaims } from './cuClaims.ts'
import { createHostProfileReplays, recheckUnderProfiles, type HostProfileReplays } from './hostProfileReplays.ts'
import { logPages } from './logPages.ts'
import { forgetModule, loadModule } from './moduleCache.ts'
import { seedFromCuCheckpoint } from './seedFromCuCheckpoint.ts'

/** Where a process is verified: the gateway, an optional SU override and the CUs to check. */
export type Endpoints = { gateway: string; su?: string | undefined; cus: string[] }

/** Progress of a verification: messages fetched and evaluated (from `start`) out of the target. */
export type VerifyProgress = { fetched: number; evaluated: number; total: number; perSecond: number }

export type VerifyOptions = {
  processId: string
  endpoints: Endpoints
  /** Verify up to this nonce (default: the SU's latest, read once and pinned). */
  toNonce?: number | undefined
  spawn: () => WorkerHandle
  /**
   * Host profiles to try besides the known ones (`knownHostProfiles`) when a CU's memory claim
   * differs while its results agree (Settings, `--host-profile`).
   */
  hostProfiles?: readonly HostProfile[] | undefined
  onProgress?: (progress: VerifyProgress) => void
  /** Called once the process, its module, the target nonce and the starting point are known. */
  onLoaded?: (loaded: LoadedProcess) => void
  /** Called whenever the CU requests waiting to be retried change: which CU, why, for how long (empty: none). */
  onWaiting?: (waits: RetryWait[]) => void
  /** Changes to the retry policy of CU requests (`withRetries`; tests inject its clock and sleep). */
  retry?: Partial<RetryPolicy> | undefined
  /** Called for what a user should know but that does not stop the verification. */
  onNotice?: (notice: string) => void
  signal?: AbortSignal
  messageTimeoutMs?: number
  /** Local storage (IndexedDB in the app): modules, log pages, checkpoints, results, verdicts. */
  store?: Store | undefined
  policy?: CheckpointPolicy | undefined
  /** Messages ahead of evaluation whose CU results are asked for at once (default 16). */
  cuWindow?: number | undefined
  /** Compare every claim again, ignoring the verdicts stored by earlier visits (checkpoints are still used). */
  recheck?: boolean | undefined
  /** Start from this CU checkpoint, trusted (labelled so in every verdict), then verify forward. */
  trustCheckpoint?: { cu: string; claim: CheckpointClaim } | undefined
}

/** Where the replay started: nonce 0, a local checkpoint, or a CU's checkpoint (trusted). */
export type Start = { source: 'genesis' } | { source: 'local-checkpoint'; nonce: number } | { source: 'cu-checkpoint'; nonce: number; cu: string; checkpointId: string }

/** What was loaded before replaying. */
export type LoadedProcess = {
  processId: string
  process: SuProcess
  moduleId: string
  su: string
  targetNonce: number
  name: string | undefined
  start: Start
}

/** The outcome: a verdict per CU, and the local hot instance for queries (balances). */
export type Verification = LoadedProcess & {
  verdicts: Verdict[]
  /** The nonce the local replay reached (the target, unless every CU diverged before it). */
  reached: number
  /** Messages evaluated by this verification (0 when the state came from a checkpoint at the target). */
  evaluated: number
  /** What the user should know: evicted or corrupted checkpoints, claims that could not be checked. */
  notices: string[]
  /**
   * The CU checkpoints found for the process (for "start from here"). A promise: when every
   * verdict stands from an earlier visit, the verdicts do not wait for the CUs' listing.
   */
  cuCheckpoints: Promise<Array<CheckpointClaim & { cu: string }>>
  /** Evaluates a read-only message on the local state (a local dry-run: no CU involved). */
  query(tags: Tag[], owner?: string): Promise<EvalResult>
  /** Balances of a token process from a local `Balances` dry-run, undefined for other processes. */
  balances(): Promise<Record<string, string> | undefined>
  /** A receipt of this verification (JSON-able). */
  receipt(): Promise<VerificationReceipt>
  /**
   * Checks a receipt (another browser's, a CU's, an earlier one) against this verification. Its
   * memory and cumulative hash are compared when it ends at the nonce this one reached.
   */
  checkReceipt(receipt: VerificationReceipt): Promise<ReceiptCheck>
  dispose(): void
}

/** A process id that cannot be one. */
export class InvalidProcessIdError extends BaseError {
  override name = 'InvalidProcessIdError'
}

const idPattern = /^[A-Za-z0-9_-]{43}$/

/** Log pages fetched ahead of evaluation, and the most messages evaluated in one run. */
const pagesAhead = 3
const runLength = 64

/** The engine that replays, as receipts name it. */
export const engineVersion = 'holoscope/0.1.0 ao-loader/0.0.49'

/** Checks the shape of a process id: 43 characters of base64url. */
export function checkProcessId(id: string): string {
  const trimmed = id.trim()
  if (!idPattern.test(trimmed)) {
    throw new InvalidProcessIdError(`"${trimmed.slice(0, 60)}" is not a process id: an id is 43 characters of A–Z, a–z, 0–9, - and _ (it has ${trimmed.length}).`)
  }
  return trimmed
}

/**
 * Per CU, while verifying: its verdict once reached, what was compared, its claims and notes,
 * and the host profile its memory claims held under when not Holoscope's own.
 */
type CuState = { cu: string; final?: Verdict; checked: Checked; claims: CuClaims; notes: string[]; coveredTo: number; hostProfile?: HostProfile | undefined }

/**
 * Verifies a process: loads it and its module, pins the target nonce, and replays its log from
 * the best starting point (the newest local checkpoint whose history is known, else nonce 0;
 * or a CU checkpoint the caller trusts) in a worker with one hot instance. The log streams page
 * by page with its hash chain checked (stored pages are reused); fetching overlaps evaluating.
 * Against every CU it compares, cheapest first, its signed checkpoints (SHA-256 of memory at a
 * nonce), each message's result, then at the target its state and a dry-run. Checkpoints are
 * kept locally by `policy`; results and verdicts too, so a later visit only replays the tail.
 *
 * @throws InvalidProcessIdError, network errors (NetworkError, HttpError, ProtocolError,
 *   NotFoundError), HashChainError / NonceGapError for a broken log, module errors — all "could
 *   not check": a divergence is a verdict, never an error
 */
export async function verifyProcess(options: VerifyOptions): Promise<Verification> {
  const { endpoints, spawn, onProgress, onLoaded, signal, messageTimeoutMs = 60_000, store, policy = defaultCheckpointPolicy, trustCheckpoint, cuWindow = 16 } = options
  const notices: string[] = []
  const notice = (text: string | undefined) => {
    if (!text || notices.includes(text)) return
    notices.push(text)
    options.onNotice?.(text)
  }
  const processId = checkProcessId(options.processId)
  const cus = endpoints.cus
  // Every CU request shares one retry policy, whose waits are reported as they begin and end.
  const tracked = options.onWaiting ? trackWaits(options.onWaiting) : {}
  const cuRequests: RetryingRequestOptions = {
    signal,
    retry: {
      ...options.retry,
      onWait: (wait) => [options.retry?.onWait, tracked.onWait].forEach((listener) => listener?.(wait)),
      onWaitEnd: (wait) => [options.retry?.onWaitEnd, tracked.onWaitEnd].forEach((listener) => listener?.(wait)),
    },
  }
  // The newest local checkpoint loads and the CUs' claims are listed while the process is looked
  // up. The worker (its script is large) boots then too when there is no checkpoint to start
  // from; else once there is something to evaluate: a second visit shows its verdict without it.
  let worker: WorkerHandle | undefined
  let stopped = false
  const boot = (): WorkerHandle => (worker ??= spawn())
  const newest = store && !trustCheckpoint ? preloadNewest(store, processId) : undefined
  // The stored verdicts are read meanwhile too.
  const storedVerdicts = store && !trustCheckpoint && !options.recheck ? store.getVerdicts(processId) : undefined
  storedVerdicts?.catch(() => undefined)
  if (!newest) boot()
  else void newest.then((found) => found || stopped || boot(), () => undefined)
  const listing = gatherClaims(endpoints.gateway, processId, cus, signal, cuRequests.retry)
  listing.catch(() => undefined)
  let su: string, process: SuProcess, moduleId: string | undefined, moduleMeta: { owner: Owner; tags: Tag[] }, wasm: Uint8Array, targetNonce: number
  try {
    // The target nonce is asked for with the process, once the SU is known; the module is read meanwhile.
    const located = await locateProcess(store, endpoints, processId, (at) => (options.toNonce === undefined ? fetchLatestNonce(at, processId, signal) : Promise.resolve(options.toNonce)), signal)
    process = located.process
    moduleId = tagValue(process.tags, 'Module')
    if (!moduleId) throw new BaseError(`Process ${processId} has no Module tag, so it cannot be replayed.`)
    const [module, where] = await Promise.all([moduleVia(store, endpoints.gateway, moduleId, notice, signal), located.where])
    ;({ meta: moduleMeta, wasm } = module)
    ;({ su, latest: targetNonce } = where)
    signal?.throwIfAborted()
  } catch (error) {
    stopped = true
    worker?.terminate()
    throw error
  }
  const env: AoEnv = toAoEnv(process, { id: moduleId, owner: moduleMeta.owner, tags: moduleMeta.tags })
  const moduleOptions = moduleOptionsFromTags(moduleMeta.tags, process.tags)
  let starting: Promise<WorkerEvaluator> | undefined
  const startWorker = (): Promise<WorkerEvaluator> => {
    if (stopped) return Promise.reject(new BaseError('This verification was stopped; its worker is gone.'))
    if (!starting) {
      starting = createWorkerEvaluator(boot, wasm, moduleOptions, { mode: 'hot', messageTimeoutMs }).catch((error: unknown) => {
        forgetModule(moduleId)
        throw error
      })
      starting.catch(() => undefined)
    }
    return starting
  }
  // Replays under other host profiles, started only when a memory claim needs one.
  let profileReplays: HostProfileReplays | undefined
  const stop = () => {
    stopped = true
    profileReplays?.terminate()
    if (starting) void starting.then((e) => e.terminate(), () => undefined)
    else worker?.terminate()
  }
  signal?.addEventListener('abort', stop)
  let pages: AsyncGenerator<SuNode[], void, undefined> | undefined
  try {
    // Where to start: a trusted CU checkpoint, a local checkpoint, or nonce 0.
    const resume = trustCheckpoint
      ? await seedFromCuCheckpoint(endpoints.gateway, trustCheckpoint, moduleOptions, signal)
      : await resumePoint(store, processId, targetNonce, cus, notice, options.recheck ?? false, newest, storedVerdicts)
    const start: Start = resume.start
    const startNonce = 'nonce' in start ? start.nonce : -1
    const trusted: Trusted | undefined = start.source === 'cu-checkpoint' ? { cu: start.cu, nonce: start.nonce, checkpointId: start.checkpointId } : undefined
    const loaded: LoadedProcess = { processId, process, moduleId, su, targetNonce, name: tagValue(process.tags, 'Name'), start }
    // A memory claim that differs while the CU's results agree is checked again under other
    // hosts: each profile replays from the same start, lazily, once for every claim of every CU.
    const profiles = memoryDependsOnHost(moduleOptions.format) ? hostProfilesWith(options.hostProfiles).filter((p) => !sameHost(p, defaultHostProfile)) : []
    const replays = () =>
      (profileReplays ??= createHostProfileReplays({
        evaluatorFor: async (hostProfile) => {
          if (stopped) throw new BaseError('This verification was stopped; its workers are gone.')
          notice(`A CU's memory differs from this replay's while its results agree: replaying from ${trusted ? `nonce ${startNonce}` : 'the start'} under host profile ${hostProfile.label} to check it.`)
          const evaluator = await createWorkerEvaluator(spawn, wasm, moduleOptions, { mode: 'hot', messageTimeoutMs, hostProfile })
          if (resume.snapshot) await evaluator.restore(resume.snapshot)
          return evaluator
        },
        pages: (afterNonce) => logPages({ store, su, processId, afterNonce, toNonce: targetNonce, previous: trusted ? resume.previous : undefined, signal, onNotice: notice }),
        messageOf: (node) => messageOf(endpoints.gateway, node, signal),
        env,
        afterNonce: trusted ? startNonce : -1,
      }))
    // Settles a claim's outcome on a CU; a memory claim that did not hold is first rechecked under the profiles.
    const judge = async (state: CuState, outcome: ClaimOutcome, counter: 'checkpoints' | 'state' | 'dryRun', messageId: string) => {
      if (outcome.held !== false || !outcome.recheck || !profiles.length || !isMemoryClaim(outcome.divergence.claim)) return settle(state, outcome, counter, messageId, trusted)
      const found = await recheckUnderProfiles(replays(), profiles, state.hostProfile, outcome.divergence.nonce, outcome.recheck)
      if (found.held) {
        if (state.hostProfile && state.hostProfile.id !== found.profile.id) state.notes.push(`Its ${outcome.divergence.claim} at nonce ${outcome.divergence.nonce} holds under host profile ${found.profile.label}, its earlier memory claims under ${state.hostProfile.label}.`)
        state.hostProfile ??= found.profile
        return settle(state, { held: true, notes: [] }, counter, messageId, trusted)
      }
      const divergence = found.divergence ?? outcome.divergence
      if (found.notes.length) {
        // A profile that could not be replayed might have reproduced the CU's memory: no accusation.
        const note = `Its ${divergence.claim} at nonce ${divergence.nonce} differs from this replay's memory, and it could not be checked under every host profile, so it is not called a divergence: ${found.notes.join(' ')}`
        return settle(state, { held: undefined, note }, counter, messageId, trusted)
      }
      const tried = [defaultHostProfile, ...found.tried]
      const notes = [
        ...divergence.notes,
        `Its message results agree up to here (${state.checked.results} compared); its memory matches none of the host profiles it was replayed under: ${tried.map((p) => p.label).join('; ')}.`,
      ]
      settle(state, { held: false, divergence: { ...divergence, notes, hostProfiles: tried.map((p) => p.id) } }, counter, messageId, trusted)
    }
    onLoaded?.(loaded)
    // Pages are fetched a few ahead of evaluation, from now on.
    pages = logPages({ store, su, processId, afterNonce: startNonce, toNonce: targetNonce, previous: resume.previous, signal, onNotice: notice })
    const ahead: Array<Promise<IteratorResult<SuNode[], void>>> = []
    const fill = () => {
      while (ahead.length < pagesAhead) {
        const pulled = pages!.next()
        pulled.catch(() => undefined)
        ahead.push(pulled)
      }
    }
    const pull = () => {
      fill()
      const next = ahead.shift()!
      fill()
      return next
    }
    if (startNonce < targetNonce) fill()

    // The worker is needed only to evaluate: it starts now when there is a log to replay (while
    // the CUs' claims and the first pages load), else on the first query.
    let ready: Promise<WorkerEvaluator> | undefined
    const getReady = () => {
      if (!ready) {
        ready = startWorker().then(async (e) => {
          if (resume.snapshot) await e.restore(resume.snapshot)
          return e
        })
        ready.catch(() => undefined)
      }
      return ready
    }
    if (startNonce < targetNonce) void getReady()
    const evaluator = whenReady(getReady, stop)
    const after = trusted ? startNonce : -1
    const claimsInRange = listing.then(
      (listed) => new Map([...listed].map(([cu, claims]) => [cu, { ...claims, checkpoints: claims.checkpoints.filter((c) => c.nonce > after && c.nonce <= targetNonce) }])),
    )
    claimsInRange.catch(() => undefined)
    // A verdict an earlier visit reached on this same history stands: verified to the target
    // with its state or dry-run compared there, or diverged before where this replay starts.
    const standing = (cu: string): Verdict | undefined => {
      const prior = resume.prior.get(cu)
      if (prior?.status === 'verified' && prior.nonce === targetNonce && startNonce === targetNonce && (prior.checked?.state || prior.checked?.dryRun)) return prior
      if (prior?.status === 'diverged' && prior.nonce <= startNonce) return prior
      return undefined
    }
    // When every verdict stands, nothing waits for the CUs' claims (their listing is for display).
    const allClaims = cus.every(standing) ? undefined : await claimsInRange
    const states = new Map<string, CuState>(
      cus.map((cu) => {
        const claims = allClaims?.get(cu) ?? { cu, address: undefined, checkpoints: [], notes: [] }
        const prior = resume.prior.get(cu)
        const checked: Checked = prior?.status === 'verified' && prior.checked ? { ...prior.checked, state: false, dryRun: false } : { results: 0, checkpoints: 0, state: false, dryRun: false }
        const state: CuState = {
          cu,
          checked,
          claims,
          notes: [...claims.notes],
          coveredTo: prior?.status === 'verified' ? Math.min(prior.nonce, startNonce) : trusted ? startNonce : -1,
          hostProfile: prior?.status === 'verified' ? prior.hostProfile : undefined,
        }
        const stands = standing(cu)
        if (stands) state.final = stands
        return [cu, state]
      }),
    )

    // Results before the starting point come from the store: compare them with the CUs'.
    if (startNonce >= 0 && !trusted) await compareStoredResults(store!, processId, startNonce, [...states.values()], cuRequests)
    // Checkpoint claims at or below the start are compared with local checkpoints at their nonce.
    if (startNonce >= 0 && !trusted && store) await compareWithLocalCheckpoints(store, processId, startNonce, [...states.values()], judge)

    let fetched = 0
    let evaluated = 0
    let reached = startNonce
    let cumulative = resume.cumulative
    let hashChain = resume.hashChain
    const last: { timestamp: number; blockHeight: number; messageId: string; assignmentId?: string } = { timestamp: resume.timestamp, blockHeight: resume.blockHeight, messageId: resume.messageId ?? processId }
    const started = performance.now()
    const report = () => onProgress?.({ fetched, evaluated, total: targetNonce - startNonce, perSecond: evaluated / Math.max((performance.now() - started) / 1000, 1e-3) })
    const open = () => [...states.values()].filter((s) => !s.final)
    const claimNonces = new Map<number, Array<{ state: CuState; claim: CheckpointClaim }>>()
    for (const state of states.values()) {
      for (const claim of state.claims.checkpoints) {
        if (claim.nonce <= startNonce) continue
        claimNonces.set(claim.nonce, [...(claimNonces.get(claim.nonce) ?? []), { state, claim }])
      }
    }
    let sinceCheckpoint = { messages: 0, evaluationMs: 0 }
    const takeCheckpoint = async (memory?: Snapshot) => {
      if (!store || trusted) return memory
      const snapshot = memory ?? (await evaluator.snapshot())
      const point = { processId, moduleId, nonce: reached, timestamp: last.timestamp, blockHeight: last.blockHeight, hashChain: hashChain ?? '', cumulativeHash: cumulative, assignmentId: last.assignmentId }
      try {
        const outcome = await store.putCheckpoint(point, snapshot)
        notice(outcome.notice)
        await store.pruneCheckpoints(processId, policy)
        for (const state of open()) {
          await store.putVerdict(processId, { status: 'verified', cu: state.cu, nonce: reached, checked: state.checked, ...(state.hostProfile ? { hostProfile: state.hostProfile } : {}) })
        }
      } catch (error) {
        notice(`A checkpoint at nonce ${reached} could not be stored: ${describeError(error).message}. The replay goes on.`)
      }
      sinceCheckpoint = { messages: 0, evaluationMs: 0 }
      return snapshot
    }

    if (reached < targetNonce && (open().length || !cus.length || store)) {
      for (;;) {
        const page = await pull()
        if (page.done) break
        fetched += page.value.length
        report()
        // CU results are asked for while the page is replayed, a window of messages ahead.
        const remote: Array<Array<Promise<Remote> | undefined>> = []
        const ask = (upTo: number) => {
          for (let j = remote.length; j < Math.min(upTo, page.value.length); j++) {
            const node = page.value[j]!
            remote.push(cus.map((cu) => (states.get(cu)!.final || nonceOf(node) <= states.get(cu)!.coveredTo ? undefined : resultOf(cu, processId, node, cuRequests))))
          }
        }
        const results: StoredResult[] = []
        // The page is evaluated in runs that end where a claim must be checked or a checkpoint is due.
        for (let i = 0; i < page.value.length; ) {
          signal?.throwIfAborted()
          let end = i
          while (end < page.value.length && end - i < runLength) {
            const nonce = nonceOf(page.value[end++]!)
            if (claimNonces.get(nonce)?.some((c) => !c.state.final)) break
            if (store && !trusted && sinceCheckpoint.messages + (end - i) >= policy.everyMessages) break
          }
          ask(end + cuWindow)
          const run = page.value.slice(i, end)
          const msgs = await Promise.all(run.map((node) => messageOf(endpoints.gateway, node, signal)))
          const began = performance.now()
          const steps = await evaluator.evaluate(msgs, env)
          sinceCheckpoint.evaluationMs += performance.now() - began
          sinceCheckpoint.messages += run.length
          for (const [k, node] of run.entries()) {
            const msg = msgs[k]!
            const step = steps[k]!
            const nonce = nonceOf(node)
            last.timestamp = msg.Timestamp
            last.blockHeight = msg['Block-Height']
            last.messageId = msg.Id ?? processId
            last.assignmentId = node.assignment.id
            hashChain = tagValue(node.assignment.tags, 'Hash-Chain') ?? hashChain
            cumulative = nextCumulativeHash(cumulative, nonce, step.result)
            results.push({ nonce, messageId: last.messageId, digest: cumulative, result: step.result })
            evaluated++
            reached = nonce
            // Signed checkpoints at this nonce (a run ends at one): the worker's memory is the memory after it.
            const claimsHere = claimNonces.get(nonce)?.filter((c) => !c.state.final)
            if (claimsHere?.length) {
              const digest = await evaluator.digest()
              for (const { state, claim } of claimsHere) {
                await judge(state, await checkCheckpoint(endpoints.gateway, claim, digest, (length) => evaluator.digest(length), signal), 'checkpoints', last.messageId)
              }
            }
            for (const [c, cu] of cus.entries()) {
              const state = states.get(cu)!
              const pending = remote[i + k]![c]
              if (state.final || !pending) continue
              const theirs = await pending
              if ('unchecked' in theirs) {
                state.final = { status: 'unchecked', cu, reason: theirs.unchecked, nonce }
                continue
              }
              const difference = diffResults(step.result, theirs.result)
              state.checked.results++
              if (difference) state.final = { status: 'diverged', cu, nonce, claim: 'result', messageId: last.messageId, ...difference, ...(trusted ? { trusted } : {}) }
            }
          }
          report()
          i = end
          if (checkpointDue({ ...sinceCheckpoint, atEnd: false }, policy)) {
            if (store) notice((await store.putResults(processId, results.splice(0))).notice)
            await takeCheckpoint()
          }
          if (cus.length && !open().length && !store) break
        }
        if (store && results.length) notice((await store.putResults(processId, results)).notice)
        if (cus.length && !open().length && !store) break
      }
    }

    // At the target: the final checkpoint, then each open CU's state and dry-run.
    const atTarget = reached === targetNonce
    let memory: Snapshot | undefined
    if (atTarget && sinceCheckpoint.messages > 0) memory = await takeCheckpoint()
    const query = (tags: Tag[], owner = process.owner.address) => evaluator.query(dryRunMessage(processId, tags, owner, last), env)
    let balances: Record<string, string> | undefined | null = null
    const localBalances = async () => {
      if (balances === null) balances = decodeBalances(await query([{ name: 'Action', value: 'Balances' }]))
      return balances
    }
    if (atTarget && open().length) {
      memory ??= await evaluator.snapshot()
      const tokenBalances = await localBalances()
      const localDryRun = tokenBalances ? await query([{ name: 'Action', value: 'Balances' }]) : undefined
      await Promise.all(
        open().map(async (state) => {
          await judge(state, await checkState(state.cu, processId, { nonce: reached, timestamp: last.timestamp }, memory!.memory, signal, cuRequests.retry), 'state', last.messageId)
          if (state.final || !localDryRun) return
          const message = { Owner: process.owner.address, Tags: [{ name: 'Action', value: 'Balances' }] }
          settle(state, await checkDryRun(state.cu, processId, { nonce: reached, messageId: last.messageId }, message, localDryRun, signal, cuRequests.retry), 'dryRun', last.messageId, trusted)
        }),
      )
    }
    for (const state of states.values()) {
      if (!state.final) state.final = { status: 'verified', cu: state.cu, nonce: reached, checked: state.checked, ...(state.hostProfile ? { hostProfile: state.hostProfile } : {}), ...(trusted ? { trusted } : {}) }
      if (state.notes.length && state.final.status !== 'unchecked') state.final.notes = state.notes
    }
    void pages.return(undefined)
    profileReplays?.terminate()
    const verdicts = cus.map((cu) => states.get(cu)!.final!)
    // Verdicts are kept, but for those that stand unchanged from an earlier visit.
    const changed = verdicts.filter((verdict) => verdict.status !== 'unchecked' && verdict !== resume.prior.get(verdict.cu))
    if (store && !trusted) for (const verdict of changed) notice((await store.putVerdict(processId, verdict)).notice)
    signal?.removeEventListener('abort', stop)
    const memoryFacts = async () => {
      if (memory) return { sha256: await sha256Hex(memory.memory), length: memory.memory.byteLength }
      const digest = await evaluator.digest()
      return { sha256: digest.sha256, length: digest.length }
    }
    return {
      ...loaded,
      verdicts,
      reached,
      evaluated,
      notices,
      cuCheckpoints: claimsInRange.then(
        (claims) => [...claims.values()].flatMap((c) => c.checkpoints.map((claim) => ({ ...claim, cu: c.cu }))),
        () => [],
      ),
      query,
      balances: localBalances,
      async receipt() {
        return buildReceipt({
          process: processId,
          module: moduleId,
          nonces: { from: trusted ? startNonce + 1 : 0, to: reached },
          hashChain: hashChain ?? null,
          memory: await memoryFacts(),
          cumulativeHash: cumulative,
          verdicts,
          engine: { version: engineVersion, moduleOptions },
          createdAt: new Date(),
        })
      },
      async checkReceipt(receipt) {
        const here = receipt.nonces.to === reached
        const memory = here ? await evaluator.digest(receipt.memory.length) : undefined
        return checkReceipt(receipt, {
          process: processId,
          module: moduleId,
          moduleOptions,
          ...(here
            ? {
                nonces: { from: trusted ? startNonce + 1 : 0, to: reached },
                hashChain: hashChain ?? null,
                cumulativeHash: cumulative,
                memory: { sha256: memory!.sha256, zeroTail: memory!.zeroTail },
              }
            : {}),
        })
      },
      dispose: () => evaluator.terminate(),
    }
  } catch (error) {
    signal?.removeEventListener('abort', stop)
    stop()
    void pages?.return(undefined)
    signal?.throwIfAborted()
    throw error
  }
}

/** The evaluator `ready` gives: each call waits for it; `terminate` stops it whenever. */
function whenReady(ready: () => Promise<WorkerEvaluator>, stop: () => void): WorkerEvaluator {
  return {
    evaluate: async (...args) => (await ready()).evaluate(...args),
    query: async (...args) => (await ready()).query(...args),
    snapshot: async () => (await ready()).snapshot(),
    restore: async (snapshot) => (await ready()).restore(snapshot),
    digest: async (length) => (await ready()).digest(length),
    terminate: stop,
  }
}

/**
 * The process and where its SU is, with the latest nonce (`latestAt`) asked of that SU: the SU
 * override, else the SU remembered from an earlier visit while its Scheduler-Location record's
 * Time-To-Live lasts, else the gateway's records. A remembered process is used as it is (a
 * process never changes): then only the latest nonce is asked for, and when that SU fails, the
 * gateway is asked again.
 */
async function locateProcess(
  store: Store | undefined,
  endpoints: VerifyOptions['endpoints'],
  processId: string,
  latestAt: (su: string) => Promise<number>,
  signal?: AbortSignal,
): Promise<{ process: SuProcess; where: Promise<{ su: string; latest: number }> }> {
  const at = async (su: string) => {
    const latest = latestAt(su)
    latest.catch(() => undefined)
    return { process: await fetchSuProcess(su, processId, signal), where: latest.then((n) => ({ su, latest: n })) }
  }
  const relocate = async () => {
    const found = await findProcessSu(endpoints.gateway, processId, signal)
    const located = await at(found.url)
    const until = Date.now() + Math.min(found.ttlMs ?? locationTtlMs, locationTtlMs)
    await store?.putLocation(processId, { su: found.url, scheduler: found.address, until, process: located.process }).catch(() => undefined)
    return located
  }
  if (endpoints.su) return at(endpoints.su)
  const remembered = await store?.getLocation(processId).catch(() => undefined)
  if (remembered?.process) {
    const where = latestAt(remembered.su).then(
      (latest) => ({ su: remembered.su, latest }),
      async () => {
        signal?.throwIfAborted()
        return (await relocate()).where
      },
    )
    where.catch(() => undefined)
    return { process: remembered.process, where }
  }
  if (remembered) {
    const located = await at(remembered.su).catch(() => undefined)
    if (located) {
      await store?.putLocation(processId, { ...remembered, process: located.process }).catch(() => undefined)
      return located
    }
    signal?.throwIfAborted()
  }
  return relocate()
}

/** The longest a process's SU location is remembered (a record's own Time-To-Live may be shorter). */
const locationTtlMs = 3_600_000

/** Records a claim's outcome on a CU: counted, its verdict when it did not hold, or a note. */
function settle(state: CuState, outcome: ClaimOutcome, counter: 'checkpoints' | 'state' | 'dryRun', messageId: string, trusted: Trusted | undefined): void {
  if (outcome.held === undefined) {
    state.notes.push(outcome.note)
    return
  }
  if (outcome.held) {
    if (counter === 'checkpoints') state.checked.checkpoints++
    else state.checked[counter] = true
    state.notes.push(...outcome.notes)
    return
  }
  state.final = divergenceVerdict(state, outcome.divergence, messageId, trusted)
}

/** A claim that did not hold as the CU's verdict, with what held before it and, for memory, the host profiles tried. */
function divergenceVerdict(state: CuState, d: ClaimDivergence, messageId: string, trusted: Trusted | undefined): Verdict {
  return {
    status: 'diverged',
    cu: state.cu,
    nonce: d.nonce,
    claim: d.claim,
    messageId,
    field: d.field,
    local: d.local,
    remote: d.remote,
    ...(d.claimId ? { claimId: d.claimId } : {}),
    checked: { ...state.checked },
    ...(d.hostProfiles ? { hostProfiles: d.hostProfiles } : {}),
    ...(state.hostProfile && isMemoryClaim(d.claim) ? { hostProfile: state.hostProfile } : {}),
    ...(trusted ? { trusted } : {}),
    ...(d.notes.length ? { notes: d.notes } : {}),
  }
}

/** Where a replay resumes: the state to restore and what is known of the history before it. */
export type Resume = {
  start: Start
  snapshot: Snapshot | undefined
  previous: { assignmentId: string; hashChain: string } | undefined
  cumulative: string
  hashChain: string | undefined
  timestamp: number
  blockHeight: number
  messageId: string | undefined
  /** The stored verdicts, by CU. */
  prior: Map<string, Verdict>
}

const genesis = (prior = new Map<string, Verdict>()): Resume => ({
  start: { source: 'genesis' },
  snapshot: undefined,
  previous: undefined,
  cumulative: cumulativeGenesis,
  hashChain: undefined,
  timestamp: 0,
  blockHeight: 0,
  messageId: undefined,
  prior,
})

/** The newest local checkpoint of a process, loaded (it is checked against the target later). */
function preloadNewest(
  store: Store,
  processId: string,
): Promise<{ checkpoint: Checkpoint; loaded: Awaited<ReturnType<Store['loadCheckpoint']>>; results: StoredResult[] } | undefined> {
  const preload = store.latestCheckpoint(processId).then(async (checkpoint) => {
    if (!checkpoint) return undefined
    const key = { processId, nonce: checkpoint.nonce }
    const [loaded, results] = await Promise.all([store.loadCheckpoint(key), store.getResults(processId, checkpoint.nonce, checkpoint.nonce)])
    return { checkpoint, loaded, results }
  })
  preload.catch(() => undefined)
  return preload
}

/**
 * The newest local checkpoint at or below the target that loads intact (a corrupted one is
 * dropped with a notice and the next older tried), or nonce 0.
 */
async function resumePoint(
  store: Store | undefined,
  processId: string,
  targetNonce: number,
  cus: readonly string[],
  notice: (text: string) => void,
  recheck: boolean,
  newest?: ReturnType<typeof preloadNewest>,
  verdicts?: Promise<StoredVerdict[]>,
): Promise<Resume> {
  if (!store) return genesis()
  const prior = new Map((recheck ? [] : await (verdicts ?? store.getVerdicts(processId))).filter((v) => v.verdict.nonce !== undefined && v.verdict.nonce <= targetNonce).map((v) => [v.verdict.cu, v.verdict]))
  for (let below = targetNonce; ; ) {
    const preloaded = await newest?.catch(() => undefined)
    newest = undefined
    const checkpoint: Checkpoint | undefined = preloaded && preloaded.checkpoint.nonce <= below ? preloaded.checkpoint : await store.latestCheckpoint(processId, below)
    if (!checkpoint) return genesis(prior)
    const loaded = preloaded?.checkpoint === checkpoint ? preloaded.loaded : await store.loadCheckpoint({ processId, nonce: checkpoint.nonce })
    if (loaded.status === 'corrupted') {
      notice(`${loaded.error.message} It was discarded; the replay rebuilds it.`)
      below = checkpoint.nonce - 1
      continue
    }
    if (loaded.status === 'missing') {
      below = checkpoint.nonce - 1
      continue
    }
    // Results before it must be there for CUs not yet compared so far: otherwise start earlier.
    const needed = Math.min(...cus.map((cu) => coveredBy(prior.get(cu))), checkpoint.nonce)
    if (needed < checkpoint.nonce) {
      const stored = await store.getResults(processId, needed + 1, checkpoint.nonce)
      if (stored.length !== checkpoint.nonce - needed || stored.some((r) => !r.result)) {
        below = checkpoint.nonce - 1
        continue
      }
    }
    return {
      start: { source: 'local-checkpoint', nonce: checkpoint.nonce },
      snapshot: loaded.snapshot,
      previous: checkpoint.assignmentId && checkpoint.hashChain ? { assignmentId: checkpoint.assignmentId, hashChain: checkpoint.hashChain } : undefined,
      cumulative: checkpoint.cumulativeHash ?? cumulativeGenesis,
      hashChain: checkpoint.hashChain || undefined,
      timestamp: checkpoint.timestamp,
      blockHeight: checkpoint.blockHeight,
      messageId: (preloaded?.checkpoint === checkpoint ? preloaded.results : await store.getResults(processId, checkpoint.nonce, checkpoint.nonce))[0]?.messageId,
      prior,
    }
  }
}

function coveredBy(verdict: Verdict | undefined): number {
  return verdict?.status === 'verified' ? verdict.nonce : -1
}

/** Compares stored local results up to `upTo` with each CU's, for the CUs not compared that far. */
async function compareStoredResults(store: Store, processId: string, upTo: number, states: CuState[], request: RetryingRequestOptions): Promise<void> {
  const from = Math.min(...states.map((s) => s.coveredTo)) + 1
  if (from > upTo) return
  const stored = await store.getResults(processId, from, upTo)
  for (const state of states) {
    const due = stored.filter((r) => r.nonce > state.coveredTo)
    for (let i = 0; i < due.length && !state.final; i += 16) {
      const batch = due.slice(i, i + 16)
      const theirs = await Promise.all(batch.map((r) => resultOfMessage(state.cu, processId, r.messageId, request)))
      for (const [j, r] of batch.entries()) {
        const remote = theirs[j]!
        if ('unchecked' in remote) {
          state.final = { status: 'unchecked', cu: state.cu, reason: remote.unchecked, nonce: r.nonce }
          break
        }
        const difference = diffResults(r.result!, remote.result)
        state.checked.results++
        if (difference) {
          state.final = { status: 'diverged', cu: state.cu, nonce: r.nonce, claim: 'result', messageId: r.messageId, ...difference }
          break
        }
      }
    }
    state.coveredTo = upTo
  }
}

/**
 * Compares CU checkpoint claims at or below `upTo` with local checkpoints at the same nonce;
 * `judge` settles each outcome (a SHA-256 that differs is rechecked under host profiles).
 */
async function compareWithLocalCheckpoints(
  store: Store,
  processId: string,
  upTo: number,
  states: CuState[],
  judge: (state: CuState, outcome: ClaimOutcome, counter: 'checkpoints', messageId: string) => Promise<void>,
): Promise<void> {
  if (!states.some((state) => !state.final && state.claims.checkpoints.some((claim) => claim.nonce <= upTo))) return
  const local = new Map((await store.listCheckpoints(processId)).map((c) => [c.nonce, c]))
  for (const state of states) {
    for (const claim of state.claims.checkpoints) {
      if (state.final || claim.nonce > upTo) continue
      const ours = local.get(claim.nonce)
      if (!ours) continue
      const divergence = (sha256: string): ClaimDivergence => ({ claim: 'checkpoint', nonce: claim.nonce, field: 'SHA-256', local: sha256, remote: claim.sha256, claimId: claim.id, notes: [] })
      const outcome: ClaimOutcome =
        ours.sha256 === claim.sha256
          ? { held: true, notes: [] }
          : { held: false, divergence: divergence(ours.sha256), recheck: async (memory) => {
              const digest = await memory.digest()
              return digest.sha256 === claim.sha256 ? undefined : divergence(digest.sha256)
            } }
      await judge(state, outcome, 'checkpoints', claim.id)
    }
  }
}

/** The module by id: from the store, else the gateway (then stored), else the page's cache. */
async function moduleVia(store: Store | undefined, gateway: string, moduleId: string, notice: (text: string | undefined) => void, signal?: AbortSignal) {
  if (!store) return loadModule(gateway, moduleId, signal)
  const stored = await store.getModule(moduleId).catch(() => undefined)
  if (stored) return { meta: { owner: stored.module.owner, tags: stored.module.tags }, wasm: stored.bytes }
  const loaded = await loadModule(gateway, moduleId, signal)
  notice((await store.putModule({ id: moduleId, owner: loaded.meta.owner, tags: loaded.meta.tags }, loaded.wasm).catch(() => undefined))?.notice)
  return loaded
}

type Remote = { result: EvalResult } | { unchecked: string }

/** A CU's result for one log edge, or why it could not be had (never thrown). */
function resultOf(cu: string, processId: string, node: SuNode, request: RetryingRequestOptions): Promise<Remote> {
  return resultOfMessage(cu, processId, node.message?.id ?? tagValue(node.assignment.tags, 'Message') ?? processId, request)
}

async function resultOfMessage(cu: string, processId: string, id: string, request: RetryingRequestOptions): Promise<Remote> {
  try {
    return { result: await fetchResult(cu, processId, id, request) }
  } catch (error) {
    request.signal?.throwIfAborted()
    return { unchecked: describeError(error).message }
  }
}

const nonceOf = (node: SuNode) => Number(tagValue(node.assignment.tags, 'Nonce'))

/** The message a CU builds for an edge; assignments of existing messages are loaded from the gateway. */
async function messageOf(gateway: string, node: SuNode, signal?: AbortSignal): Promise<AoMessage> {
  if (node.message) return toAoMessage(node)
  const id = tagValue(node.assignment.tags, 'Message')
  if (!id) throw new BaseError(`Assignment ${node.assignment.id} names no message.`)
  const excluded = node.assignment.tags.filter((t) => t.name === 'Exclude').map((t) => t.value)
  const [meta, data] = await Promise.all([fetchTransactionMeta(gateway, id, signal), excluded.includes('Data') ? Promise.resolve(undefined) : fetchData(gateway, id, signal)])
  return toAoMessage(node, { ...meta, data: data === undefined ? null : new TextDecoder().decode(data) })
}

/** A read-only message at the time and height of the last evaluated message, as a CU's dry-run. */
function dryRunMessage(processId: string, tags: Tag[], owner: string, last: { timestamp: number; blockHeight: number }): AoMessage {
  return buildAoMessage({
    Id: '1234',
    Owner: owner,
    Target: processId,
    Anchor: '0',
    Data: '1234',
    From: fromOf(tags, owner),
    Tags: [{ name: 'Data-Protocol', value: 'ao' }, { name: 'Type', value: 'Message' }, { name: 'Variant', value: 'ao.TN.1' }, ...tags],
    Timestamp: last.timestamp,
    'Block-Height': last.blockHeight,
    Cron: false,
    'Read-Only': true,
  })
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

export type { ModuleOptions, WorkerEvaluator }
