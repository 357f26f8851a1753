import { buildAoMessage, fromOf } from './toAoMessage.ts'
import type { AoMessage, Tag } from './types.ts'

/**
 * A read-only message as a CU builds it for a dry-run: fixed id, anchor and data, addressed to
 * the process, at the time and block height of the last evaluated message.
 */
export function dryRunMessage(processId: string, tags: Tag[], owner: string, last: { timestamp: number; blockHeight: number }): AoMessage {
  return buildAoMessage({
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
  })
}
