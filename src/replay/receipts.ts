import { sha256Hex } from '../core/encoding/sha256Hex.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import { buildReceipt, checkReceipt, type ReceiptCheck, type VerificationReceipt } from '../core/verify/receipt.ts'
import type { Trusted, Verdict } from '../core/verify/verdict.ts'
import type { WorkerEvaluator } from '../eval/createWorkerEvaluator.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import type { ReplayCursor } from './replayCursor.ts'

/** The engine that replays, as receipts name it. */
export const engineVersion = 'holoscope/0.1.0 ao-loader/0.0.49'

/** What a verification's receipts are made of: the process, the replay's range and end, the verdicts. */
export type ReceiptFacts = {
  processId: string
  moduleId: string
  moduleOptions: ModuleOptions
  trusted: Trusted | undefined
  cursor: ReplayCursor
  /** The memory at the end when a snapshot was taken there (else the evaluator digests it). */
  memory: Snapshot | undefined
  evaluator: WorkerEvaluator
  verdicts: Verdict[]
}

/** A verification's receipt, and the check of someone else's receipt against it. */
export function receiptsOf(facts: ReceiptFacts): { receipt(): Promise<VerificationReceipt>; checkReceipt(receipt: VerificationReceipt): Promise<ReceiptCheck> } {
  const { processId, moduleId, moduleOptions, trusted, cursor, memory, evaluator } = facts
  const from = trusted ? trusted.nonce + 1 : 0
  const memoryFacts = async () => {
    if (memory) return { sha256: await sha256Hex(memory.memory), length: memory.memory.byteLength }
    const digest = await evaluator.digest()
    return { sha256: digest.sha256, length: digest.length }
  }
  return {
    async receipt() {
      return buildReceipt({
        process: processId,
        module: moduleId,
        nonces: { from, to: cursor.reached },
        hashChain: cursor.hashChain ?? null,
        memory: await memoryFacts(),
        cumulativeHash: cursor.cumulative,
        verdicts: facts.verdicts,
        engine: { version: engineVersion, moduleOptions },
        createdAt: new Date(),
      })
    },
    async checkReceipt(receipt) {
      const here = receipt.nonces.to === cursor.reached
      const digest = here ? await evaluator.digest(receipt.memory.length) : undefined
      return checkReceipt(receipt, {
        process: processId,
        module: moduleId,
        moduleOptions,
        ...(digest
          ? { nonces: { from, to: cursor.reached }, hashChain: cursor.hashChain ?? null, cumulativeHash: cursor.cumulative, memory: { sha256: digest.sha256, zeroTail: digest.zeroTail } }
          : {}),
      })
    },
  }
}
