import { createHash } from 'node:crypto'
import { ArweaveSigner, createData, DataItem } from '@dha-team/arbundles'
import { tagValue } from '../../src/core/message/tagValue.ts'
import type { Owner, Tag } from '../../src/core/message/types.ts'
import { HttpError } from './http.ts'
import type { Wallet } from './wallets.ts'

/** What a data item says, decoded: the fields the SU, MU and CU work with. */
export type ParsedItem = {
  id: string
  owner: Owner
  tags: Tag[]
  data: Uint8Array<ArrayBuffer>
  /** base64url of the target, '' when none. */
  target: string
  /** The anchor decoded as UTF-8, null when empty (as the SU shows it). */
  anchor: string | null
  signature: string
  raw: Uint8Array<ArrayBuffer>
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

/**
 * Reads a request body as a signed AO data item (Data-Protocol: ao), as the SU and MU take them.
 *
 * @throws HttpError 400 saying what is wrong with it
 */
export async function aoItemFrom(request: Request): Promise<ParsedItem> {
  let item: ParsedItem
  try {
    item = await parseDataItem(new Uint8Array(await request.arrayBuffer()))
  } catch (error) {
    if (error instanceof DataItemError) throw new HttpError(400, error.message)
    throw error
  }
  if (tagValue(item.tags, 'Data-Protocol') !== 'ao') throw new HttpError(400, 'the data item has no Data-Protocol: ao tag')
  return item
}
