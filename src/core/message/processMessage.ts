import { addressFrom } from './addressFrom.ts'
import { buildAoMessage, fromOf } from './toAoMessage.ts'
import type { AoMessage, SuProcess } from './types.ts'

/**
 * The process message a CU puts first when the SU log does not start with it (older
 * processes, whose first message is nonce 0): built from the SU's process item, with the
 * process's data as read from the gateway (`/raw/{id}` as text). It has no Nonce or Epoch.
 */
export function processMessage(process: SuProcess, data: string | null): AoMessage {
  const owner = addressFrom(process.owner)
  return buildAoMessage({
    Id: process.process_id,
    Signature: process.signature,
    Data: data,
    Owner: owner,
    Target: process.process_id,
    Anchor: process.anchor,
    From: fromOf(process.tags, owner),
    Tags: process.tags,
    Timestamp: process.timestamp,
    'Block-Height': parseInt(process.block, 10),
    Cron: false,
  })
}
