import { nonceOf } from '../core/message/nonceOf.ts'
import { tagValue } from '../core/message/tagValue.ts'
import type { AoEnv, EvalResult, SuNode } from '../core/message/types.ts'
import type { Trusted } from '../core/verify/verdict.ts'
import type { WorkerEvaluator } from '../eval/createWorkerEvaluator.ts'
import type { CheckpointClaim } from '../core/checkpoint/checkpointClaim.ts'
import type { RetryingRequestOptions } from '../net/withRetries.ts'
import type { Store, StoredResult } from '../store/openStore.ts'
import { checkCheckpoint, checkResult, fetchCuResult, type CuResult } from './cuClaims.ts'
import { openStates, settleResult, type CuState, type Judge } from './cuVerdicts.ts'
import { hydrateMessage } from './hydrateMessage.ts'
import type { LocalCheckpoints } from './localCheckpoints.ts'
import { advanceCursor, type ReplayCursor } from './replayCursor.ts'

/** The most messages evaluated in one run (a run also ends where a claim is due). */
const runLength = 64

/** What a replay runs on and checks against. */
export type ReplayContext = {
  processId: string
  gateway: string
  cus: readonly string[]
  states: Map<string, CuState>
  evaluator: WorkerEvaluator
  env: AoEnv
  judge: Judge
  checkpoints: LocalCheckpoints
  store: Store | undefined
  trusted: Trusted | undefined
  /** Messages ahead of evaluation whose CU results are asked for at once. */
  cuWindow: number
  cuRequests: RetryingRequestOptions
  signal: AbortSignal | undefined
  notice: (text: string | undefined) => void
  /** Called as messages are fetched and evaluated. */
  report: () => void
}

/** The CUs' signed checkpoints after `startNonce`, by nonce: a run ends at each to compare memory there. */
export function checkpointClaimsByNonce(states: Map<string, CuState>, startNonce: number): Map<number, Array<{ state: CuState; claim: CheckpointClaim }>> {
  const byNonce = new Map<number, Array<{ state: CuState; claim: CheckpointClaim }>>()
  for (const state of states.values()) {
    for (const claim of state.claims.checkpoints) {
      if (claim.nonce > startNonce) byNonce.set(claim.nonce, [...(byNonce.get(claim.nonce) ?? []), { state, claim }])
    }
  }
  return byNonce
}

/**
 * Replays the log from `pull` (pages fetched ahead) on the hot evaluator, advancing `cursor`:
 * each message's result is compared with every open CU's, each signed checkpoint with the
 * memory at its nonce, and checkpoints are kept by the policy. Without a store, it stops once
 * every CU has its verdict.
 */
export async function replayLog(context: ReplayContext, cursor: ReplayCursor, pull: () => Promise<IteratorResult<SuNode[], void>>): Promise<void> {
  const claims = checkpointClaimsByNonce(context.states, cursor.reached)
  const settled = () => context.cus.length > 0 && !openStates(context.states).length && !context.store
  for (;;) {
    const page = await pull()
    if (page.done) break
    cursor.fetched += page.value.length
    context.report()
    const results: StoredResult[] = []
    await replayPage(context, cursor, page.value, claims, results, settled)
    if (context.store && results.length) context.notice((await context.store.putResults(context.processId, results)).notice)
    if (settled()) break
  }
}

type ClaimsByNonce = ReturnType<typeof checkpointClaimsByNonce>

/** Replays one page in runs that end where a claim must be checked or a checkpoint is due. */
async function replayPage(context: ReplayContext, cursor: ReplayCursor, page: SuNode[], claims: ClaimsByNonce, results: StoredResult[], settled: () => boolean): Promise<void> {
  const { evaluator, checkpoints } = context
  const remote = askAhead(context, page)
  for (let i = 0; i < page.length; ) {
    context.signal?.throwIfAborted()
    const end = runEnd(page, i, claims, checkpoints)
    remote.ask(end + context.cuWindow)
    const run = page.slice(i, end)
    const msgs = await Promise.all(run.map((node) => hydrateMessage(context.gateway, node, context.signal)))
    const began = performance.now()
    const steps = await evaluator.evaluate(msgs, context.env)
    checkpoints.count(run.length, performance.now() - began)
    for (const [k, node] of run.entries()) {
      const result = steps[k]!.result
      results.push(advanceCursor(cursor, node, msgs[k]!, result, context.processId))
      await checkStep(context, cursor, claims, result, remote.at(i + k))
    }
    context.report()
    i = end
    if (checkpoints.due()) {
      if (context.store) context.notice((await context.store.putResults(context.processId, results.splice(0))).notice)
      await checkpoints.take(cursor)
    }
    if (settled()) break
  }
}

/** Where the run starting at `i` ends: after `runLength` messages, at a claimed nonce, or where a checkpoint falls due. */
function runEnd(page: SuNode[], i: number, claims: ClaimsByNonce, checkpoints: LocalCheckpoints): number {
  let end = i
  while (end < page.length && end - i < runLength) {
    const nonce = nonceOf(page[end++]!)
    if (claims.get(nonce)?.some((c) => !c.state.final)) break
    if (checkpoints.wouldFill(end - i)) break
  }
  return end
}

/** CU results asked for while a page is replayed, a window of messages ahead; per message, per CU (undefined: not asked). */
function askAhead(context: ReplayContext, page: SuNode[]) {
  const asked: Array<Array<Promise<CuResult> | undefined>> = []
  const { cus, states, processId, cuRequests } = context
  return {
    ask(upTo: number) {
      for (let j = asked.length; j < Math.min(upTo, page.length); j++) {
        const node = page[j]!
        const id = node.message?.id ?? tagValue(node.assignment.tags, 'Message') ?? processId
        asked.push(cus.map((cu) => (states.get(cu)!.final || nonceOf(node) <= states.get(cu)!.coveredTo ? undefined : fetchCuResult(cu, processId, id, cuRequests))))
      }
    },
    at: (j: number) => asked[j]!,
  }
}

/** Checks what the CUs claim about the message just evaluated: signed checkpoints at its nonce, then its result. */
async function checkStep(context: ReplayContext, cursor: ReplayCursor, claims: ClaimsByNonce, result: EvalResult, remote: Array<Promise<CuResult> | undefined>): Promise<void> {
  const { evaluator, cus, states, trusted } = context
  const { reached: nonce, last } = cursor
  // Signed checkpoints at this nonce (a run ends at one): the worker's memory is the memory after it.
  const claimsHere = claims.get(nonce)?.filter((c) => !c.state.final)
  if (claimsHere?.length) {
    const digest = await evaluator.digest()
    for (const { state, claim } of claimsHere) {
      await context.judge(state, await checkCheckpoint(context.gateway, claim, digest, (length) => evaluator.digest(length), context.signal), 'checkpoints', last.messageId)
    }
  }
  for (const [c, cu] of cus.entries()) {
    const state = states.get(cu)!
    const pending = remote[c]
    if (state.final || !pending) continue
    settleResult(state, checkResult(nonce, result, await pending), nonce, last.messageId, trusted)
  }
}
