import { createHash } from 'node:crypto'
import { ArweaveSigner, createData, DataItem } from '@dha-team/arbundles'
import type { Owner, Tag } from '../../src/core/message/types.ts'
import type { Wallet } from './wallets.ts'

/** What a data item says, decoded: the fields the SU, MU and CU work with. */
export type ParsedItem = {
  id: string
  owner: Owner
  tags: Tag[]
  data: Uint8Array
  /** base64url of the target, '' when none. */
  target: string
  /** The anchor decoded as UTF-8, null when empty (as the SU shows it). */
  anchor: string | null
  signature: string
  raw: Uint8Array
}

/** A data item that is not a valid signed ANS-104 item. */
export class DataItemError extends Error {
  override name = 'DataItemError'
}

const signers = new WeakMap<Wallet, ArweaveSigner>()

function signerOf(wallet: Wallet): ArweaveSigner {
  let signer = signers.get(wallet)
  if (!signer) {
    signer = new ArweaveSigner(wallet.jwk)
    signers.set(wallet, signer)
  }
  return signer
}

/** Creates and signs an ANS-104 data item with an Arweave wallet. */
export async function signDataItem(
  wallet: Wallet,
  item: { data?: string | Uint8Array; tags: Tag[]; target?: string; anchor?: string },
): Promise<ParsedItem> {
  const signer = signerOf(wallet)
  const created = createData(item.data ?? '', signer, {
    tags: item.tags,
    ...(item.target ? { target: item.target } : {}),
    ...(item.anchor ? { anchor: item.anchor } : {}),
  })
  await created.sign(signer)
  return describe(created)
}

/**
 * Parses and verifies a raw signed data item.
 *
 * @throws DataItemError when the bytes are not a data item or its signature does not verify
 */
export async function parseDataItem(raw: Uint8Array): Promise<ParsedItem> {
  const buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
  let valid: boolean
  try {
    valid = await DataItem.verify(buffer)
  } catch {
    valid = false
  }
  if (!valid) throw new DataItemError('the body is not a validly signed ANS-104 data item')
  return describe(new DataItem(buffer))
}

function describe(item: DataItem): ParsedItem {
  const rawOwner = item.rawOwner
  const rawAnchor = item.rawAnchor
  return {
    id: item.id,
    owner: { address: addressOfKey(rawOwner), key: rawOwner.toString('base64url') },
    tags: item.tags,
    data: new Uint8Array(item.rawData),
    target: item.rawTarget.length ? item.rawTarget.toString('base64url') : '',
    anchor: rawAnchor.length ? utf8OrNull(rawAnchor) : null,
    signature: item.signature,
    raw: new Uint8Array(item.getRaw()),
  }
}

/** An address as Arweave and the SU compute it: base64url(sha256(public key bytes)). */
export function addressOfKey(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('base64url')
}

/** Bytes as UTF-8 text, or null when they are not valid UTF-8 (how the SU shows process data). */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}
