import { BaseError } from '../core/errors/BaseError.ts'
import { tagValue } from '../core/message/tagValue.ts'
import { toAoMessage } from '../core/message/toAoMessage.ts'
import type { AoMessage, SuNode } from '../core/message/types.ts'
import { fetchData, fetchTransactionMeta } from '../net/gateway.ts'

/** An assignment that names no message: the SU's log cannot be replayed past it. */
export class AssignmentWithoutMessageError extends BaseError {
  override name = 'AssignmentWithoutMessageError'
}

/**
 * The message a CU builds for a log edge. An edge that carries its message is mapped as it is;
 * an assignment of an existing message (one already on Arweave) loads it from the gateway: its
 * tags and owner, and its data unless the assignment excludes it.
 *
 * @throws AssignmentWithoutMessageError; the gateway's network errors
 */
export async function hydrateMessage(gateway: string, node: SuNode, signal?: AbortSignal): Promise<AoMessage> {
  if (node.message) return toAoMessage(node)
  const id = tagValue(node.assignment.tags, 'Message')
  if (!id) throw new AssignmentWithoutMessageError(`Assignment ${node.assignment.id} names no message, so the log cannot be replayed past it. Check the SU's log for this process, or try another SU.`)
  const excluded = node.assignment.tags.filter((t) => t.name === 'Exclude').map((t) => t.value)
  const [meta, data] = await Promise.all([fetchTransactionMeta(gateway, id, signal), excluded.includes('Data') ? Promise.resolve(undefined) : fetchData(gateway, id, signal)])
  return toAoMessage(node, { ...meta, data: data === undefined ? null : new TextDecoder().decode(data) })
}
