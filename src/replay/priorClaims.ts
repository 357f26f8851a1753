import type { Store } from '../store/openStore.ts'
import type { RetryingRequestOptions } from '../net/withRetries.ts'
import { checkResult, fetchCuResult, type ClaimDivergence, type ClaimOutcome } from './cuClaims.ts'
import { settleResult, type CuState, type Judge } from './cuVerdicts.ts'

/** Results asked of a CU at once when comparing stored ones. */
const batchSize = 16

/**
 * Compares what an earlier visit replayed with what the CUs claim, before this replay goes on
 * from its local checkpoint at `upTo`: the stored results of messages up to it, for the CUs not
 * compared that far, and the CUs' signed checkpoints at or below it, with the local checkpoints
 * at the same nonces.
 */
export async function comparePriorClaims(store: Store, processId: string, upTo: number, states: CuState[], judge: Judge, request: RetryingRequestOptions): Promise<void> {
  await compareStoredResults(store, processId, upTo, states, request)
  await compareWithLocalCheckpoints(store, processId, upTo, states, judge)
}

/** Compares stored local results up to `upTo` with each CU's, for the CUs not compared that far. */
async function compareStoredResults(store: Store, processId: string, upTo: number, states: CuState[], request: RetryingRequestOptions): Promise<void> {
  const from = Math.min(...states.map((s) => s.coveredTo)) + 1
  if (from > upTo) return
  const stored = await store.getResults(processId, from, upTo)
  for (const state of states) {
    const due = stored.filter((r) => r.nonce > state.coveredTo)
    for (let i = 0; i < due.length && !state.final; i += batchSize) {
      const batch = due.slice(i, i + batchSize)
      const theirs = await Promise.all(batch.map((r) => fetchCuResult(state.cu, processId, r.messageId, request)))
      for (const [j, r] of batch.entries()) {
        settleResult(state, checkResult(r.nonce, r.result!, theirs[j]!), r.nonce, r.messageId, undefined)
        if (state.final) break
      }
    }
    state.coveredTo = upTo
  }
}

/**
 * Compares CU checkpoint claims at or below `upTo` with local checkpoints at the same nonce;
 * `judge` settles each outcome (a SHA-256 that differs is rechecked under host profiles).
 */
async function compareWithLocalCheckpoints(store: Store, processId: string, upTo: number, states: CuState[], judge: Judge): Promise<void> {
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
          : {
              held: false,
              divergence: divergence(ours.sha256),
              recheck: async (memory) => {
                const digest = await memory.digest()
                return digest.sha256 === claim.sha256 ? undefined : divergence(digest.sha256)
              },
            }
      await judge(state, outcome, 'checkpoints', claim.id)
    }
  }
}
