import type { Snapshot } from '../core/evaluator/snapshot.ts'
import { checkDryRun, checkState } from './cuClaims.ts'
import { openStates, settle } from './cuVerdicts.ts'
import type { LocalQueries } from './localQueries.ts'
import type { ReplayContext } from './replayLog.ts'
import type { ReplayCursor } from './replayCursor.ts'

/**
 * At the target: the final local checkpoint, then each open CU's state (its memory) and, for a
 * token, a `Balances` dry-run compared with the local ones. Returns the memory at the target
 * when a snapshot of it was taken.
 */
export async function checkTargetClaims(context: ReplayContext, cursor: ReplayCursor, targetNonce: number, queries: LocalQueries, owner: string): Promise<Snapshot | undefined> {
  const { processId, signal, cuRequests, trusted } = context
  const atTarget = cursor.reached === targetNonce
  let memory: Snapshot | undefined
  if (atTarget && context.checkpoints.since.messages > 0) memory = await context.checkpoints.take(cursor)
  const open = openStates(context.states)
  if (!atTarget || !open.length) return memory
  const state = (memory ??= await context.evaluator.snapshot())
  const balances = [{ name: 'Action', value: 'Balances' }]
  const localDryRun = (await queries.balances()) ? await queries.query(balances) : undefined
  const { reached, last } = cursor
  await Promise.all(
    open.map(async (cu) => {
      await context.judge(cu, await checkState(cu.cu, processId, { nonce: reached, timestamp: last.timestamp }, state.memory, signal, cuRequests.retry), 'state', last.messageId)
      if (cu.final || !localDryRun) return
      const message = { Owner: owner, Tags: balances }
      settle(cu, await checkDryRun(cu.cu, processId, { nonce: reached, messageId: last.messageId }, message, localDryRun, signal, cuRequests.retry), 'dryRun', last.messageId, trusted)
    }),
  )
  return memory
}
