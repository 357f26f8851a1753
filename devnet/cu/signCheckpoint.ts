import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { constants, gzip } from 'node:zlib'
import type { Tag } from '../../src/core/message/types.ts'
import { signDataItem, type ParsedItem } from '../lib/dataItems.ts'
import type { Wallet } from '../lib/wallets.ts'

const gzipAsync = promisify(gzip)

/** Where a checkpoint's memory is in the process's history. */
export type CheckpointPoint = {
  moduleId: string
  processId: string
  nonce: number
  timestamp: number
  blockHeight: number
  /** Random per CU start (`Unit-Identifier`). */
  unitId: string
  assignmentId: string
  hashChain: string | undefined
}

/**
 * Signs a Checkpoint data item as the CU makes it (ao-reference 5.1): body = gzip (level 9)
 * of the raw memory; tags in the CU's order, `SHA-256` the hex digest of the raw memory —
 * or `sha256` when given (a lying CU's claim).
 */
export async function signCheckpoint(wallet: Wallet, point: CheckpointPoint, memory: Uint8Array, sha256?: string): Promise<ParsedItem> {
  const body = await gzipAsync(memory, { level: constants.Z_BEST_COMPRESSION })
  const tags: Tag[] = [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: 'Checkpoint' },
    { name: 'Module', value: point.moduleId },
    { name: 'Process', value: point.processId },
    { name: 'Nonce', value: String(point.nonce) },
    { name: 'Timestamp', value: String(point.timestamp) },
    { name: 'Block-Height', value: String(point.blockHeight) },
    { name: 'Content-Type', value: 'application/octet-stream' },
    { name: 'SHA-256', value: sha256 ?? memorySha256(memory) },
    { name: 'Content-Encoding', value: 'gzip' },
    { name: 'Unit-Identifier', value: point.unitId },
    { name: 'Ordinate', value: String(point.nonce) },
    { name: 'Assignment', value: point.assignmentId },
    ...(point.hashChain ? [{ name: 'Hash-Chain', value: point.hashChain }] : []),
  ]
  return signDataItem(wallet, { data: body, tags })
}

/** The hex SHA-256 of raw memory, as the CU's checkpoint tag carries it. */
export function memorySha256(memory: Uint8Array): string {
  return createHash('sha256').update(memory).digest('hex')
}
