import { defaultCheckpointPolicy } from '../core/checkpoint/checkpointPolicy.ts'
import { BaseError } from '../core/errors/BaseError.ts'
import { defaultHostProfile, hostProfilesWith, sameHost } from '../core/host/knownHostProfiles.ts'
import { memoryDependsOnHost } from '../core/host/memoryDependsOnHost.ts'
import type { HostProfile } from '../core/host/types.ts'
import { checkProcessId } from '../core/message/processId.ts'
import { tagValue } from '../core/message/tagValue.ts'
import { toAoEnv } from '../core/message/toAoEnv.ts'
import type { AoEnv, SuNode, SuProcess } from '../core/message/types.ts'
import { moduleOptionsFromTags } from '../core/module/moduleOptionsFromTags.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import type { Trusted, Verdict } from '../core/verify/verdict.ts'
import { createWorkerEvaluator, type WorkerEvaluator } from '../eval/createWorkerEvaluator.ts'
import { fetchLatestNonce } from '../net/su.ts'
import { trackWaits, type RetryingRequestOptions } from '../net/withRetries.ts'
import type { Store } from '../store/openStore.ts'
import { gatherClaims, type CuClaims } from './cuClaims.ts'
import { createJudge, finalVerdicts, initialCuStates, openStates, standingVerdict, type VerdictHistory } from './cuVerdicts.ts'
import { createHostProfileReplays, type HostProfileReplays } from './hostProfileReplays.ts'
import { hydrateMessage } from './hydrateMessage.ts'
import { createLazyEvaluator, VerificationStoppedError, type LazyEvaluator } from './lazyEvaluator.ts'
import { createLocalCheckpoints } from './localCheckpoints.ts'
import { createLocalQueries } from './localQueries.ts'
import { loadStoredModule } from './loadStoredModule.ts'
import { locateProcess } from './locateProcess.ts'
import { logPages, prefetchPages } from './logPages.ts'
import { comparePriorClaims } from './priorClaims.ts'
import { receiptsOf } from './receipts.ts'
import { replayLog, type ReplayContext } from './replayLog.ts'
import { cursorAt } from './replayCursor.ts'
import { preloadNewestCheckpoint, resumePoint, type Resume } from './resumePoint.ts'
import { seedFromCuCheckpoint } from './seedFromCuCheckpoint.ts'
import { checkTargetClaims } from './targetClaims.ts'
import type { LoadedProcess, Verification, VerifyOptions } from './types.ts'

export type { Endpoints, LoadedProcess, Start, Verification, VerifyOptions, VerifyProgress } from './types.ts'
export { engineVersion } from './receipts.ts'

/** Log pages fetched ahead of evaluation. */
const pagesAhead = 3

/** A process without a Module tag: nothing says what to replay it with. */
export class ProcessWithoutModuleError extends BaseError {
  override name = 'ProcessWithoutModuleError'
}

/** The log after a nonce (exclusive) to the target, page by page, checked from `previous`. */
type LogFrom = (afterNonce: number, previous: Resume['previous']) => AsyncGenerator<SuNode[], void, undefined>

/** The process, its module and the target, once loaded: what the replay runs. */
type Target = { process: SuProcess; moduleId: string; wasm: Uint8Array; su: string; targetNonce: number; env: AoEnv; moduleOptions: ModuleOptions }

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
  const { endpoints, signal, store, trustCheckpoint } = options
  const notices = collectNotices(options.onNotice)
  const processId = checkProcessId(options.processId)
  const cuRequests = cuRequestOptions(options)
  // The newest local checkpoint loads and the CUs' claims are listed while the process is looked
  // up. The worker (its script is large) boots then too when there is no checkpoint to start
  // from; else once there is something to evaluate: a second visit shows its verdict without it.
  const lazy = createLazyEvaluator(options.spawn)
  const newest = store && !trustCheckpoint ? preloadNewestCheckpoint(store, processId) : undefined
  const storedVerdicts = store && !trustCheckpoint && !options.recheck ? store.getVerdicts(processId) : undefined
  storedVerdicts?.catch(() => undefined)
  if (!newest) lazy.boot()
  else void newest.then((found) => found || lazy.stopped || lazy.boot(), () => undefined)
  const listing = gatherClaims(endpoints.gateway, processId, endpoints.cus, signal, cuRequests.retry)
  listing.catch(() => undefined)
  const target = await loadTarget(options, processId, notices.notice).catch((error: unknown) => {
    lazy.stop()
    throw error
  })
  signal?.addEventListener('abort', lazy.stop)
  let pages: AsyncGenerator<unknown, void> | undefined
  try {
    const resume = trustCheckpoint
      ? await seedFromCuCheckpoint(endpoints.gateway, trustCheckpoint, target.moduleOptions, signal)
      : await resumePoint({ store, processId, targetNonce: target.targetNonce, cus: endpoints.cus, notice: notices.notice, recheck: options.recheck ?? false, newest, verdicts: storedVerdicts })
    const { start } = resume
    const startNonce = 'nonce' in start ? start.nonce : -1
    const trusted: Trusted | undefined = start.source === 'cu-checkpoint' ? { cu: start.cu, nonce: start.nonce, checkpointId: start.checkpointId } : undefined
    const { process, moduleId, su, targetNonce, env, moduleOptions } = target
    const loaded: LoadedProcess = { processId, process, moduleId, su, targetNonce, name: tagValue(process.tags, 'Name'), start }
    const messageTimeoutMs = options.messageTimeoutMs ?? 60_000
    lazy.load({ moduleId, wasm: target.wasm, moduleOptions, snapshot: resume.snapshot, messageTimeoutMs })
    const logFrom: LogFrom = (afterNonce, previous) => logPages({ store, su, processId, afterNonce, toNonce: targetNonce, previous, signal, onNotice: notices.notice })
    const profileReplays = profileReplaysOf(lazy, options, target, resume, trusted, logFrom, notices.notice)
    const judge = createJudge(profilesToTry(options, moduleOptions), profileReplays.get, trusted)
    options.onLoaded?.(loaded)
    // Pages are fetched a few ahead of evaluation, from now on; the worker starts now when there
    // is a log to replay (while the CUs' claims and the first pages load), else on the first query.
    const logPagesFrom = logFrom(startNonce, resume.previous)
    pages = logPagesFrom
    const prefetch = prefetchPages(logPagesFrom, pagesAhead)
    if (startNonce < targetNonce) {
      prefetch.start()
      void lazy.ready()
    }
    const claimsInRange = listing.then((listed) => claimsBetween(listed, trusted ? startNonce : -1, targetNonce))
    claimsInRange.catch(() => undefined)
    const history: VerdictHistory = { cus: endpoints.cus, prior: resume.prior, startNonce, targetNonce, trusted }
    // When every verdict stands, nothing waits for the CUs' claims (their listing is for display).
    const states = initialCuStates(history, endpoints.cus.every((cu) => standingVerdict(history, cu)) ? undefined : await claimsInRange)
    // Results and checkpoint claims before a local starting point are compared with what is stored.
    if (start.source === 'local-checkpoint') await comparePriorClaims(store!, processId, startNonce, [...states.values()], judge, cuRequests)

    const cursor = cursorAt(resume, processId)
    const evaluator = lazy.evaluator
    const open = () => openStates(states)
    const checkpoints = createLocalCheckpoints({ store, trusted: Boolean(trusted), policy: options.policy ?? defaultCheckpointPolicy, processId, moduleId, evaluator, notice: notices.notice, open })
    const started = performance.now()
    const report = () => options.onProgress?.({ fetched: cursor.fetched, evaluated: cursor.evaluated, total: targetNonce - startNonce, perSecond: cursor.evaluated / Math.max((performance.now() - started) / 1000, 1e-3) })
    const context: ReplayContext = { processId, gateway: endpoints.gateway, cus: endpoints.cus, states, evaluator, env, judge, checkpoints, store, trusted, cuWindow: options.cuWindow ?? 16, cuRequests, signal, notice: notices.notice, report }
    if (cursor.reached < targetNonce && (open().length || !endpoints.cus.length || store)) await replayLog(context, cursor, prefetch.pull)

    const queries = createLocalQueries(evaluator, processId, process.owner.address, env, cursor.last)
    const memory = await checkTargetClaims(context, cursor, targetNonce, queries, process.owner.address)
    void logPagesFrom.return(undefined)
    profileReplays.terminate()
    const verdicts = finalVerdicts(states, endpoints.cus, cursor.reached, trusted)
    if (store && !trusted) await keepVerdicts(store, processId, verdicts, resume.prior, notices.notice)
    signal?.removeEventListener('abort', lazy.stop)
    return {
      ...loaded,
      verdicts,
      reached: cursor.reached,
      evaluated: cursor.evaluated,
      notices: notices.list,
      cuCheckpoints: claimsInRange.then((claims) => [...claims.values()].flatMap((c) => c.checkpoints.map((claim) => ({ ...claim, cu: c.cu }))), () => []),
      ...queries,
      ...receiptsOf({ processId, moduleId, moduleOptions, trusted, cursor, memory, evaluator, verdicts }),
      dispose: () => evaluator.terminate(),
    }
  } catch (error) {
    signal?.removeEventListener('abort', lazy.stop)
    lazy.stop()
    void pages?.return(undefined)
    signal?.throwIfAborted()
    throw error
  }
}

/** Notices for the user, each once, in order, reported as they come. */
function collectNotices(onNotice: ((notice: string) => void) | undefined): { list: string[]; notice: (text: string | undefined) => void } {
  const list: string[] = []
  return {
    list,
    notice(text) {
      if (!text || list.includes(text)) return
      list.push(text)
      onNotice?.(text)
    },
  }
}

/** Every CU request shares one retry policy, whose waits are reported as they begin and end. */
function cuRequestOptions(options: VerifyOptions): RetryingRequestOptions {
  const tracked = options.onWaiting ? trackWaits(options.onWaiting) : {}
  return {
    signal: options.signal,
    retry: {
      ...options.retry,
      onWait: (wait) => [options.retry?.onWait, tracked.onWait].forEach((listener) => listener?.(wait)),
      onWaitEnd: (wait) => [options.retry?.onWaitEnd, tracked.onWaitEnd].forEach((listener) => listener?.(wait)),
    },
  }
}

/** The process (via its SU), its module and the target nonce; the module is read while the SU is asked. */
async function loadTarget(options: VerifyOptions, processId: string, notice: (text: string | undefined) => void): Promise<Target> {
  const { store, endpoints, signal } = options
  const latestAt = (at: string) => (options.toNonce === undefined ? fetchLatestNonce(at, processId, signal) : Promise.resolve(options.toNonce))
  const located = await locateProcess(store, endpoints, processId, latestAt, signal)
  const process = located.process
  const moduleId = tagValue(process.tags, 'Module')
  if (!moduleId) throw new ProcessWithoutModuleError(`Process ${processId} has no Module tag, so it cannot be replayed. Check the process id: this may not be an AO process.`)
  const [module, where] = await Promise.all([loadStoredModule(store, endpoints.gateway, moduleId, notice, signal), located.where])
  signal?.throwIfAborted()
  const env = toAoEnv(process, { id: moduleId, owner: module.meta.owner, tags: module.meta.tags })
  return { process, moduleId, wasm: module.wasm, su: where.su, targetNonce: where.latest, env, moduleOptions: moduleOptionsFromTags(module.meta.tags, process.tags) }
}

/** Stores the verdicts but those that stand unchanged from an earlier visit (and unchecked ones). */
async function keepVerdicts(store: Store, processId: string, verdicts: Verdict[], prior: Map<string, Verdict>, notice: (text: string | undefined) => void): Promise<void> {
  for (const verdict of verdicts) {
    if (verdict.status !== 'unchecked' && verdict !== prior.get(verdict.cu)) notice((await store.putVerdict(processId, verdict)).notice)
  }
}

/** The CUs' claims with only the checkpoints in (after, upTo]. */
function claimsBetween(listed: Map<string, CuClaims>, after: number, upTo: number): Map<string, CuClaims> {
  return new Map([...listed].map(([cu, claims]) => [cu, { ...claims, checkpoints: claims.checkpoints.filter((c) => c.nonce > after && c.nonce <= upTo) }]))
}

/** The host profiles a differing memory claim is rechecked under: none when memory does not depend on the host. */
function profilesToTry(options: VerifyOptions, moduleOptions: ModuleOptions): HostProfile[] {
  return memoryDependsOnHost(moduleOptions.format) ? hostProfilesWith(options.hostProfiles).filter((p) => !sameHost(p, defaultHostProfile)) : []
}

/**
 * Replays under other host profiles, started only when a memory claim needs one: each profile
 * replays from the same start, lazily, once for every claim of every CU; stopped with `lazy`.
 */
function profileReplaysOf(
  lazy: LazyEvaluator,
  options: VerifyOptions,
  target: Target,
  resume: Resume,
  trusted: Trusted | undefined,
  logFrom: LogFrom,
  notice: (text: string) => void,
): { get: () => HostProfileReplays; terminate(): void } {
  let replays: HostProfileReplays | undefined
  const terminate = () => replays?.terminate()
  lazy.onStop(terminate)
  const afterNonce = trusted ? trusted.nonce : -1
  const evaluatorFor = async (hostProfile: HostProfile): Promise<WorkerEvaluator> => {
    if (lazy.stopped) throw new VerificationStoppedError('This verification was stopped; its workers are gone.')
    notice(`A CU's memory differs from this replay's while its results agree: replaying from ${trusted ? `nonce ${afterNonce}` : 'the start'} under host profile ${hostProfile.label} to check it.`)
    const evaluator = await createWorkerEvaluator(options.spawn, target.wasm, target.moduleOptions, { mode: 'hot', messageTimeoutMs: options.messageTimeoutMs ?? 60_000, hostProfile })
    if (resume.snapshot) await evaluator.restore(resume.snapshot)
    return evaluator
  }
  const get = () =>
    (replays ??= createHostProfileReplays({
      evaluatorFor,
      pages: (after) => logFrom(after, trusted ? resume.previous : undefined),
      messageOf: (node) => hydrateMessage(options.endpoints.gateway, node, options.signal),
      env: target.env,
      afterNonce,
    }))
  return { get, terminate }
}

export type { ModuleOptions, WorkerEvaluator }
