import { BaseError } from '../core/errors/BaseError.ts'
import { describeError } from '../core/errors/describeError.ts'
import { tagValue } from '../core/message/tagValue.ts'
import { toAoEnv } from '../core/message/toAoEnv.ts'
import { buildAoMessage, fromOf, toAoMessage } from '../core/message/toAoMessage.ts'
import type { AoEnv, AoMessage, EvalResult, SuNode, SuProcess, Tag } from '../core/message/types.ts'
import { moduleOptionsFromTags } from '../core/module/moduleOptionsFromTags.ts'
import { decodeBalances } from '../core/verify/decodeBalances.ts'
import { diffResults } from '../core/verify/diffResults.ts'
import type { Verdict } from '../core/verify/verdict.ts'
import { createWorkerEvaluator, type WorkerHandle } from '../eval/createWorkerEvaluator.ts'
import { fetchResult } from '../net/cu.ts'
import { fetchData, fetchTransactionMeta, findProcessSu } from '../net/gateway.ts'
import { fetchLatestNonce, fetchSuProcess, streamLog } from '../net/su.ts'
import { forgetModule, loadModule } from './moduleCache.ts'

/** Where a process is verified: the gateway, an optional SU override and the CUs to check. */
export type Endpoints = { gateway: string; su?: string | undefined; cus: string[] }

/** Progress of a verification: messages fetched and evaluated out of the target. */
export type VerifyProgress = { fetched: number; evaluated: number; total: number; perSecond: number }

export type VerifyOptions = {
  processId: string
  endpoints: Endpoints
  /** Verify up to this nonce (default: the SU's latest, read once and pinned). */
  toNonce?: number | undefined
  spawn: () => WorkerHandle
  onProgress?: (progress: VerifyProgress) => void
  /** Called once the process, its module and the target nonce are known. */
  onLoaded?: (loaded: LoadedProcess) => void
  signal?: AbortSignal
  messageTimeoutMs?: number
}

/** What was loaded before replaying. */
export type LoadedProcess = { processId: string; process: SuProcess; moduleId: string; su: string; targetNonce: number; name: string | undefined }

/** The outcome: a verdict per CU, and the local hot instance for queries (balances). */
export type Verification = LoadedProcess & {
  verdicts: Verdict[]
  /** The nonce the local replay reached (the target, unless a divergence stopped it). */
  reached: number
  /** Evaluates a read-only message on the local state (a local dry-run: no CU involved). */
  query(tags: Tag[], owner?: string): Promise<EvalResult>
  /** Balances of a token process from a local `Balances` dry-run, undefined for other processes. */
  balances(): Promise<Record<string, string> | undefined>
  dispose(): void
}

/** A process id that cannot be one. */
export class InvalidProcessIdError extends BaseError {
  override name = 'InvalidProcessIdError'
}

const idPattern = /^[A-Za-z0-9_-]{43}$/

/** Checks the shape of a process id: 43 characters of base64url. */
export function checkProcessId(id: string): string {
  const trimmed = id.trim()
  if (!idPattern.test(trimmed)) {
    throw new InvalidProcessIdError(`"${trimmed.slice(0, 60)}" is not a process id: an id is 43 characters of A–Z, a–z, 0–9, - and _ (it has ${trimmed.length}).`)
  }
  return trimmed
}

/**
 * Verifies a process: loads it and its module, streams its log from its SU page by page (the
 * hash chain checked as it goes), replays it in a worker with one hot instance, and compares
 * every message's result with what each CU reports for it. Every check pins the same target
 * nonce. Fetching overlaps evaluating: the next page downloads while this one is replayed.
 *
 * @throws InvalidProcessIdError, network errors (NetworkError, HttpError, ProtocolError,
 *   NotFoundError), HashChainError / NonceGapError for a broken log, module errors — all "could
 *   not check": a divergence is a verdict, never an error
 */
export async function verifyProcess(options: VerifyOptions): Promise<Verification> {
  const { endpoints, spawn, onProgress, onLoaded, signal, messageTimeoutMs = 60_000 } = options
  const processId = checkProcessId(options.processId)
  const su = endpoints.su || (await findProcessSu(endpoints.gateway, processId, signal)).url
  const process = await fetchSuProcess(su, processId, signal)
  const moduleId = tagValue(process.tags, 'Module')
  if (!moduleId) throw new BaseError(`Process ${processId} has no Module tag, so it cannot be replayed.`)
  const [{ meta: moduleMeta, wasm }, latest] = await Promise.all([
    loadModule(endpoints.gateway, moduleId, signal),
    options.toNonce === undefined ? fetchLatestNonce(su, processId, signal) : Promise.resolve(options.toNonce),
  ])
  const targetNonce = latest
  const loaded: LoadedProcess = { processId, process, moduleId, su, targetNonce, name: tagValue(process.tags, 'Name') }
  onLoaded?.(loaded)
  const env: AoEnv = toAoEnv(process, { id: moduleId, owner: moduleMeta.owner, tags: moduleMeta.tags })
  const moduleOptions = moduleOptionsFromTags(moduleMeta.tags, process.tags)
  signal?.throwIfAborted()
  const evaluator = await createWorkerEvaluator(spawn, wasm, moduleOptions, { mode: 'hot', messageTimeoutMs }).catch((error: unknown) => {
    forgetModule(moduleId)
    throw error
  })
  const stop = () => evaluator.terminate()
  signal?.addEventListener('abort', stop)
  try {
    const cus = endpoints.cus
    const verdicts = new Map<string, Verdict>()
    let fetched = 0
    let evaluated = 0
    let reached = -1
    // A dry-run runs at the time and height of the last evaluated message, as on a CU.
    const last = { timestamp: 0, blockHeight: 0 }
    const started = performance.now()
    const report = () => onProgress?.({ fetched, evaluated, total: targetNonce + 1, perSecond: evaluated / Math.max((performance.now() - started) / 1000, 1e-3) })

    // Pages are fetched one ahead of evaluation: the stream is pulled while a page is replayed.
    const pages = streamLog(su, processId, { toNonce: targetNonce, ...(signal ? { signal } : {}) })
    const pull = () => {
      const pulled = pages.next()
      pulled.catch(() => undefined)
      return pulled
    }
    let next = pull()
    for (;;) {
      const page = await next
      if (page.done) break
      next = pull()
      fetched += page.value.length
      report()
      // CU results for the page are asked for while the page is replayed.
      const remote = page.value.map((node) => cus.map((cu) => (verdicts.has(cu) ? undefined : resultOf(cu, processId, node, signal))))
      for (const [i, node] of page.value.entries()) {
        signal?.throwIfAborted()
        const msg = await messageOf(endpoints.gateway, node, signal)
        const [step] = await evaluator.evaluate([msg], env)
        const nonce = Number(tagValue(node.assignment.tags, 'Nonce'))
        last.timestamp = msg.Timestamp
        last.blockHeight = msg['Block-Height']
        evaluated++
        reached = nonce
        for (const [c, cu] of cus.entries()) {
          if (verdicts.has(cu)) continue
          const theirs = await remote[i]![c]!
          if ('unchecked' in theirs) {
            verdicts.set(cu, { status: 'unchecked', cu, reason: theirs.unchecked, nonce })
            continue
          }
          const difference = diffResults(step!.result, theirs.result)
          if (difference) verdicts.set(cu, { status: 'diverged', cu, nonce, messageId: msg.Id ?? processId, ...difference })
        }
        report()
        if (cus.length && cus.every((cu) => verdicts.has(cu))) break
      }
      if (cus.length && cus.every((cu) => verdicts.has(cu))) break
    }
    void pages.return(undefined)
    for (const cu of cus) if (!verdicts.has(cu)) verdicts.set(cu, { status: 'verified', cu, nonce: reached })
    const query = (tags: Tag[], owner = process.owner.address) =>
      evaluator.query(
        buildAoMessage({
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
        }),
        env,
      )
    signal?.removeEventListener('abort', stop)
    return {
      ...loaded,
      verdicts: cus.map((cu) => verdicts.get(cu)!),
      reached,
      query,
      async balances() {
        return decodeBalances(await query([{ name: 'Action', value: 'Balances' }]))
      },
      dispose: stop,
    }
  } catch (error) {
    signal?.removeEventListener('abort', stop)
    evaluator.terminate()
    signal?.throwIfAborted()
    throw error
  }
}

type Remote = { result: EvalResult } | { unchecked: string }

/** A CU's result for one log edge, or why it could not be had (never thrown). */
async function resultOf(cu: string, processId: string, node: SuNode, signal?: AbortSignal): Promise<Remote> {
  const id = node.message?.id ?? tagValue(node.assignment.tags, 'Message') ?? processId
  try {
    return { result: await fetchResult(cu, processId, id, signal) }
  } catch (error) {
    return { unchecked: describeError(error).message }
  }
}

/** The message a CU builds for an edge; assignments of existing messages are loaded from the gateway. */
async function messageOf(gateway: string, node: SuNode, signal?: AbortSignal): Promise<AoMessage> {
  if (node.message) return toAoMessage(node)
  const id = tagValue(node.assignment.tags, 'Message')
  if (!id) throw new BaseError(`Assignment ${node.assignment.id} names no message.`)
  const excluded = node.assignment.tags.filter((t) => t.name === 'Exclude').map((t) => t.value)
  const [meta, data] = await Promise.all([fetchTransactionMeta(gateway, id, signal), excluded.includes('Data') ? Promise.resolve(undefined) : fetchData(gateway, id, signal)])
  return toAoMessage(node, { ...meta, data: data === undefined ? null : new TextDecoder().decode(data) })
}
