import { dryRunMessage } from '../core/message/dryRunMessage.ts'
import type { AoEnv, EvalResult, Tag } from '../core/message/types.ts'
import { decodeBalances } from '../core/verify/decodeBalances.ts'
import type { WorkerEvaluator } from '../eval/createWorkerEvaluator.ts'
import type { LastMessage } from './replayCursor.ts'

/** Read-only questions to the local state: a local dry-run, and a token's balances. */
export type LocalQueries = {
  /** Evaluates a read-only message on the local state (a local dry-run: no CU involved). */
  query(tags: Tag[], owner?: string): Promise<EvalResult>
  /** Balances of a token process from a local `Balances` dry-run (asked once), undefined for other processes. */
  balances(): Promise<Record<string, string> | undefined>
}

/**
 * Queries on the evaluator's state as a CU's dry-run would run them: at the time and height of
 * `last` (read when asked), from `owner` (the process's owner by default).
 */
export function createLocalQueries(evaluator: WorkerEvaluator, processId: string, owner: string, env: AoEnv, last: LastMessage): LocalQueries {
  const query = (tags: Tag[], from = owner) => evaluator.query(dryRunMessage(processId, tags, from, last), env)
  let balances: Promise<Record<string, string> | undefined> | undefined
  return {
    query,
    balances() {
      balances ??= query([{ name: 'Action', value: 'Balances' }]).then(decodeBalances)
      balances.catch(() => (balances = undefined))
      return balances
    },
  }
}
