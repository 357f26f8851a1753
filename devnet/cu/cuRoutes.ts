import { buildAoMessage, fromOf, type AoMessageFields } from '../../src/core/message/toAoMessage.ts'
import type { AoMessage, EvalResult, Tag } from '../../src/core/message/types.ts'
import { thrownResult } from '../../src/eval/cuResult.ts'
import { EvaluationTimeoutError } from '../../src/eval/errors.ts'
import { HttpError, json, router } from '../lib/http.ts'
import { advance } from './advance.ts'
import { firstTimes, refuseUncached } from './cuFaults.ts'
import { lieAboutBalances, lieAboutMemory, lieAboutResult } from './cuLies.ts'
import type { CuRuntime } from './cuRuntime.ts'
import { evaluatorAt, hotOf, onHot } from './evaluatorAt.ts'
import { evaluatedAt, withLock, type Evaluated, type ProcessState } from './processState.ts'
import { resultsConnection, type ResultNode } from './resultsConnection.ts'
import { latestNonce, nonceOfMessage } from './suLog.ts'

/**
 * The AO CU HTTP API of a CU: `GET /` (its address), `/result/{message}`, `/results/{process}`,
 * `POST /dry-run` and `/state/{process}`, each evaluating lazily what it needs. The first
 * `state202Times` state requests answer 202.
 */
export function cuRoutes(cu: CuRuntime): (request: Request) => Promise<Response> {
  const stateBusy = firstTimes(cu.faults.state202Times ?? 0)
  return router([
    ['GET', /^\/$/, () => json({ address: cu.wallet.address, timestamp: Date.now() })],
    ['GET', /^\/result\/([^/]+)$/, (_request, url, [messageId]) => result(cu, url, messageId!)],
    ['GET', /^\/results\/([^/]+)$/, (_request, url, [processId]) => results(cu, url, processId!)],
    ['POST', /^\/dry-run$/, (request, url) => dryRun(cu, request, url)],
    ['GET', /^\/state\/([^/]+)$/, (_request, url, [processId]) => stateOf(cu, url, processId!, stateBusy)],
  ])
}

async function result(cu: CuRuntime, url: URL, messageId: string): Promise<Response> {
  const state = await cu.processes.get(processIdOf(url))
  let nonce = state.byMessage.get(messageId)
  if (nonce === undefined) {
    const target = await nonceOfMessage(state, messageId)
    await withLock(state, () => advance(cu, state, target))
    nonce = target
  }
  const entry = state.byNonce.get(nonce)
  if (!entry) throw new HttpError(404, `message ${messageId} (nonce ${nonce}) of process ${state.id} is not in its log`)
  refuseUncached(cu.faults, nonce)
  return json(reported(cu, entry))
}

function results(cu: CuRuntime, url: URL, processId: string): Response {
  const state = cu.processes.loaded(processId)
  const q = url.searchParams
  return json(resultsConnection(state?.byNonce.values() ?? [], { from: q.get('from'), to: q.get('to'), sort: q.get('sort'), limit: q.get('limit') }, (e) => reported(cu, e as Evaluated)))
}

async function dryRun(cu: CuRuntime, request: Request, url: URL): Promise<Response> {
  const processId = processIdOf(url)
  const message = await dryRunMessage(request)
  const state = await cu.processes.get(processId)
  const to = url.searchParams.get('to')
  const target = to ? await nonceOfMessage(state, to) : await latestNonce(state)
  if (to) refuseUncached(cu.faults, target)
  const onHotState = await withLock(state, async () => {
    if (state.last && state.last.nonce > target) return undefined
    await advance(cu, state, target)
    const at = state.last
    if (!at) throw new HttpError(404, `process ${state.id} has no messages yet`)
    return { at, result: await onHot(cu, state, (evaluator) => evaluator.query(message(state, at), state.env)) }
  })
  const answer = onHotState ?? (await dryRunEarlier(cu, state, evaluatedAt(state, target)!, message))
  const lie = cu.lies.has('dryrun-balance') && answer.at.nonce >= cu.lieFrom
  return json(resultNode(lie ? lieAboutBalances(answer.result) : answer.result))
}

/** A dry-run on an earlier state than the hot one: rebuilt in a temporary evaluator. */
async function dryRunEarlier(cu: CuRuntime, state: ProcessState, at: Evaluated, message: DryRunMessage): Promise<{ at: Evaluated; result: EvalResult }> {
  const evaluator = await evaluatorAt(cu, state, at.nonce)
  try {
    return { at, result: await evaluator.query(message(state, at), state.env) }
  } catch (error) {
    if (!(error instanceof EvaluationTimeoutError)) throw error
    return { at, result: thrownResult(error) }
  } finally {
    evaluator.terminate()
  }
}

/** The read-only message of a dry-run, as sent to a process at an evaluated message. */
type DryRunMessage = (state: ProcessState, at: Evaluated) => AoMessage

/**
 * Reads a dry-run body (a JSON message: Id, Owner, Target, Anchor, Data, Tags).
 *
 * @throws HttpError 400 when it is not a JSON object or its Tags are not `{name, value}` strings
 */
async function dryRunMessage(request: Request): Promise<DryRunMessage> {
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
  return (state, at) =>
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
}

async function stateOf(cu: CuRuntime, url: URL, processId: string, busy: () => boolean): Promise<Response> {
  const toParam = url.searchParams.get('to')
  if (toParam !== null && toParam !== '' && !/^\d+$/.test(toParam)) throw new HttpError(400, `to must be a timestamp in ms, not ${JSON.stringify(toParam)}`)
  const until = toParam ? Number(toParam) : undefined
  if (busy()) return json({ message: `Evaluation of process "${processId}" to "${toParam || 'latest'}" is in progress.` }, 202)
  const state = await cu.processes.get(processId)
  const latest = await latestNonce(state)
  const found = await withLock(state, async () => {
    await advance(cu, state, latest, until)
    const at = until === undefined ? state.last : [...state.byNonce.values()].filter((e) => e.timestamp <= until).at(-1)
    if (!at) throw new HttpError(404, `process ${state.id} has no message${until === undefined ? '' : ` at or before ${until}`}`)
    if (at !== state.last) return { at, memory: undefined }
    return { at, memory: (await (await hotOf(cu, state)).snapshot()).memory }
  })
  if (until !== undefined) refuseUncached(cu.faults, found.at.nonce)
  let memory = found.memory ?? state.snapshots.get(found.at.nonce)?.memory ?? (await memoryAt(cu, state, found.at.nonce))
  if (cu.lies.has('state') && found.at.nonce >= cu.lieFrom) memory = lieAboutMemory(memory)
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

/** The memory after nonce `nonce`, rebuilt in a temporary evaluator. */
async function memoryAt(cu: CuRuntime, state: ProcessState, nonce: number): Promise<Uint8Array> {
  const evaluator = await evaluatorAt(cu, state, nonce)
  try {
    return (await evaluator.snapshot()).memory
  } finally {
    evaluator.terminate()
  }
}

/** A cached result as this CU reports it: lied about from `lieFrom` on when it lies about results. */
function reported(cu: CuRuntime, entry: Evaluated): ResultNode {
  const resultLies = new Set([...cu.lies].filter((l) => l === 'output' || l === 'messages'))
  const lied = resultLies.size && entry.nonce >= cu.lieFrom ? lieAboutResult(entry.result, resultLies, cu.wallet.address) : entry.result
  return resultNode(lied)
}

function processIdOf(url: URL): string {
  const id = url.searchParams.get('process-id')
  if (!id) throw new HttpError(400, 'process-id is required')
  return id
}

function resultNode(result: EvalResult): ResultNode {
  const node: ResultNode = { Messages: result.Messages, Spawns: result.Spawns, Assignments: result.Assignments, Output: result.Output }
  if (result.Error !== undefined) node.Error = result.Error
  if (result.GasUsed !== undefined) node.GasUsed = result.GasUsed
  return node
}
