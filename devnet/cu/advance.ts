import { firstHashChain, nextHashChain } from '../../src/core/message/hashChain.ts'
import { tagValue } from '../../src/core/message/tagValue.ts'
import type { SuNode } from '../../src/core/message/types.ts'
import { HttpError } from '../lib/http.ts'
import type { CuRuntime } from './cuRuntime.ts'
import { onHot } from './evaluatorAt.ts'
import type { Evaluated, ProcessState } from './processState.ts'
import { aoMessageOf, logOf, nonceOf } from './suLog.ts'
import { uploadCheckpoint } from './uploadCheckpoint.ts'

/**
 * Moves the hot state forward to nonce `target` (or up to the last message at or before
 * `until`, a timestamp), caching every result and checkpointing. Call it holding the lock.
 *
 * @throws HttpError 422 when the hash chain breaks before the target
 */
export async function advance(cu: CuRuntime, state: ProcessState, target: number, until?: number): Promise<void> {
  const blocked = () => state.broken && target >= state.broken.nonce && (until === undefined || state.broken.timestamp <= until)
  if (blocked()) throw chainError(state)
  if (state.last && state.last.nonce >= target) return
  for await (const node of logOf(state, state.last?.nonce, target)) {
    const place = placeOf(node)
    if (until !== undefined && place.timestamp > until) break
    const expected = expectedLink(state, place.nonce)
    if (expected !== undefined && place.hashChain !== expected) {
      state.broken = { nonce: place.nonce, messageId: place.messageId, timestamp: place.timestamp }
      break
    }
    const msg = await aoMessageOf(cu.gatewayUrl, node)
    const result = await onHot(cu, state, async (evaluator) => (await evaluator.evaluate([msg], state.env))[0]!.result)
    const entry: Evaluated = { ...place, result }
    state.byNonce.set(entry.nonce, entry)
    if (!state.byMessage.has(entry.messageId)) state.byMessage.set(entry.messageId, entry.nonce)
    state.last = entry
    if (cu.checkpointEvery > 0 && entry.nonce > 0 && entry.nonce % cu.checkpointEvery === 0) await uploadCheckpoint(cu, state, entry)
  }
  if (blocked()) throw chainError(state)
}

/** Where a log entry is: everything of an `Evaluated` but its result. */
function placeOf(node: SuNode): Omit<Evaluated, 'result'> {
  const a = node.assignment.tags
  return {
    nonce: nonceOf(node),
    messageId: node.message?.id ?? tagValue(a, 'Message') ?? node.assignment.id,
    timestamp: Number.parseInt(tagValue(a, 'Timestamp') ?? '0', 10),
    blockHeight: Number.parseInt(tagValue(a, 'Block-Height') ?? '0', 10),
    hashChain: tagValue(a, 'Hash-Chain'),
    assignmentId: node.assignment.id,
  }
}

function chainError(state: ProcessState): HttpError {
  return new HttpError(422, `HashChain invalid on message ${state.broken!.messageId}`)
}

/** The Hash-Chain the next assignment must carry, undefined when it cannot be known. */
function expectedLink(state: ProcessState, nonce: number): string | undefined {
  const last = state.last
  if (!last) return nonce === 0 ? firstHashChain(state.id) : undefined
  if (!last.hashChain) return undefined
  try {
    return nextHashChain(last.assignmentId, last.hashChain)
  } catch {
    return '(the previous assignment has no valid link)'
  }
}
