import { ArweaveSigner, createData } from '@dha-team/arbundles'
import { beforeAll, describe, expect, it } from 'vitest'
import { DataItemFormatError } from '../ans104/dataItemFormatError.ts'
import { parseDataItem } from '../ans104/parseDataItem.ts'
import type { ParsedDataItem } from '../ans104/types.ts'
import { verifyDataItem } from '../ans104/verifyDataItem.ts'
import { toBase64Url } from '../encoding/base64url.ts'
import { rebuildCheckpointItem, sameTags, wholeCheckpointItem, type ListedItemFields } from './rebuildCheckpointItem.ts'

const { subtle } = globalThis.crypto
const anchorText = 'anchor-anchor-anchor-anchor-0123'
const tags = [
  { name: 'Type', value: 'Checkpoint' },
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'SHA-256', value: 'ab'.repeat(32) },
]
let raw: Uint8Array
let item: ParsedDataItem
/** The item as a gateway's GraphQL lists it (anchor as base64url of its bytes). */
let listed: ListedItemFields

beforeAll(async () => {
  const pair = await subtle.generateKey({ name: 'RSA-PSS', modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])
  const jwk = await subtle.exportKey('jwk', pair.privateKey)
  const signer = new ArweaveSigner({ kty: 'RSA', e: jwk.e, n: jwk.n, d: jwk.d, p: jwk.p, q: jwk.q, dp: jwk.dp, dq: jwk.dq, qi: jwk.qi } as ConstructorParameters<typeof ArweaveSigner>[0])
  const signed = createData(Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) % 256), signer, { target: toBase64Url(new Uint8Array(32).fill(4)), anchor: anchorText, tags })
  await signed.sign(signer)
  raw = new Uint8Array(signed.getRaw())
  item = parseDataItem(raw)
  listed = { signature: toBase64Url(item.signature), key: toBase64Url(item.owner), anchor: toBase64Url(item.anchor), recipient: toBase64Url(item.target), tags }
})

describe('rebuildCheckpointItem', () => {
  it('rebuilds from the GraphQL listing and the data the fields arbundles signed, whose signature verifies', async () => {
    const rebuilt = rebuildCheckpointItem(listed, item.data, item.id)
    const { id: _, ...fields } = item
    expect(rebuilt).toEqual(fields)
    expect(await verifyDataItem(rebuilt, subtle)).toEqual({ valid: true, saltLength: 478 })
  })

  it('takes an anchor listed as its text, and no recipient as no target', async () => {
    expect(rebuildCheckpointItem({ ...listed, anchor: anchorText }, item.data, item.id).anchor).toEqual(item.anchor)
    expect(rebuildCheckpointItem({ ...listed, recipient: '' }, item.data, item.id).target).toEqual(new Uint8Array(0))
  })

  it('rebuilds an item whose signature fails when the data or a tag differs from what was signed', async () => {
    const data = item.data.slice()
    data[10]! ^= 0x01
    expect(await verifyDataItem(rebuildCheckpointItem(listed, data, item.id), subtle)).toEqual({ valid: false })
    const retagged = [...tags.slice(0, 2), { name: 'SHA-256', value: 'cd'.repeat(32) }]
    expect(await verifyDataItem(rebuildCheckpointItem({ ...listed, tags: retagged }, item.data, item.id), subtle)).toEqual({ valid: false })
  })

  it('names what cannot be an item field', () => {
    expect(() => rebuildCheckpointItem({ ...listed, signature: 'no base64!' }, item.data, item.id)).toThrow(new DataItemFormatError(`the signature of ${item.id} is not base64url`))
    expect(() => rebuildCheckpointItem({ ...listed, key: '%' }, item.data, item.id)).toThrow(DataItemFormatError)
    expect(() => rebuildCheckpointItem({ ...listed, recipient: '%' }, item.data, item.id)).toThrow(`the recipient of ${item.id} is not base64url`)
    expect(() => rebuildCheckpointItem({ ...listed, signature: toBase64Url(item.signature.subarray(1)) }, item.data, item.id)).toThrow(
      `${item.id} has an owner key of 512 bytes and a signature of 511: no ANS-104 signature type has those`,
    )
  })
})

describe('wholeCheckpointItem', () => {
  it('reads bytes that are the whole item with that id, and nothing else', () => {
    expect(wholeCheckpointItem(raw, item.id)).toEqual(item)
    expect(wholeCheckpointItem(raw, 'x'.repeat(43))).toBeUndefined()
    expect(wholeCheckpointItem(item.data, item.id)).toBeUndefined()
  })
})

describe('sameTags', () => {
  it('compares names and values in order', () => {
    expect(sameTags(tags, [...tags])).toBe(true)
    expect(sameTags(tags, [...tags].reverse())).toBe(false)
    expect(sameTags(tags, tags.slice(1))).toBe(false)
    expect(sameTags(tags, [...tags.slice(0, 2), { name: 'SHA-256', value: 'AB'.repeat(32) }])).toBe(false)
  })
})
