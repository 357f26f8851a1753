import { ArweaveSigner, createData, deepHash as referenceDeepHash } from '@dha-team/arbundles'
import { sha384 } from '@noble/hashes/sha2.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { toBase64Url } from '../encoding/base64url.ts'
import { deepHash } from './deepHash.ts'
import { ownerAddress } from './ownerAddress.ts'
import { parseDataItem } from './parseDataItem.ts'
import type { ParsedDataItem } from './types.ts'
import { signaturePayload, UnsupportedSignatureError, verifyDataItem } from './verifyDataItem.ts'

const { subtle } = globalThis.crypto
let jwk: JsonWebKey
let item: ParsedDataItem

beforeAll(async () => {
  const pair = await subtle.generateKey({ name: 'RSA-PSS', modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])
  jwk = await subtle.exportKey('jwk', pair.privateKey)
  const signer = new ArweaveSigner({ kty: 'RSA', e: jwk.e, n: jwk.n, d: jwk.d, p: jwk.p, q: jwk.q, dp: jwk.dp, dq: jwk.dq, qi: jwk.qi } as ConstructorParameters<typeof ArweaveSigner>[0])
  const signed = createData(Uint8Array.from({ length: 5000 }, (_, i) => i % 251), signer, {
    target: toBase64Url(new Uint8Array(32).fill(9)),
    anchor: 'anchor-anchor-anchor-anchor-0123',
    tags: [
      { name: 'Type', value: 'Checkpoint' },
      { name: 'SHA-256', value: 'ab'.repeat(32) },
    ],
  })
  await signed.sign(signer)
  item = parseDataItem(new Uint8Array(signed.getRaw()))
  expect(item.id).toBe(signed.id)
})

const flipped = (bytes: Uint8Array, at: number) => {
  const copy = bytes.slice()
  copy[at]! ^= 0x01
  return copy
}

describe('deepHash', () => {
  it('equals arbundles’ deep hash for blobs and nested lists', async () => {
    const enc = (s: string) => new TextEncoder().encode(s)
    const chunks = [enc('dataitem'), [enc('a'), new Uint8Array(0), [enc('nested'), new Uint8Array(1000).fill(7)]], new Uint8Array(0)]
    const ours = await deepHash(chunks, sha384)
    expect(Buffer.from(ours)).toEqual(Buffer.from(await referenceDeepHash(chunks)))
    expect(Buffer.from(await deepHash(enc('x'), sha384))).toEqual(Buffer.from(await referenceDeepHash(enc('x'))))
    expect(Buffer.from(await deepHash(chunks, sha384))).not.toEqual(Buffer.from(await deepHash([enc('dataitem')], sha384)))
  })
})

describe('verifyDataItem', () => {
  it('verifies an item signed by arbundles in Node (the largest PSS salt, 478 bytes)', async () => {
    expect(await verifyDataItem(item, subtle)).toEqual({ valid: true, saltLength: 478 })
    expect(ownerAddress(item.owner)).toBe(toBase64Url(new Uint8Array(await subtle.digest('SHA-256', item.owner as Uint8Array<ArrayBuffer>))))
  })

  it('fails for any changed byte of data, tags, anchor, target or signature', async () => {
    for (const changed of [
      { ...item, data: flipped(item.data, 4321) },
      { ...item, rawTags: flipped(item.rawTags, 3) },
      { ...item, anchor: flipped(item.anchor, 0) },
      { ...item, target: flipped(item.target, 31) },
      { ...item, signature: flipped(item.signature, 100) },
      { ...item, owner: flipped(item.owner, 511) },
    ]) {
      expect(await verifyDataItem(changed, subtle)).toEqual({ valid: false })
    }
  })

  it('verifies a WebCrypto signature with a 32-byte salt (arweave-js in browsers)', async () => {
    const key = await subtle.importKey('jwk', jwk, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign'])
    const payload = await signaturePayload(item, sha384)
    const signature = new Uint8Array(await subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, key, payload as Uint8Array<ArrayBuffer>))
    expect(await verifyDataItem({ ...item, signature }, subtle)).toEqual({ valid: true, saltLength: 32 })
  })

  it('refuses to judge signature types it cannot check', async () => {
    await expect(verifyDataItem({ ...item, signatureType: 2 }, subtle)).rejects.toThrow(UnsupportedSignatureError)
    await expect(verifyDataItem({ ...item, signatureType: 3 }, subtle)).rejects.toThrow(/Signature type 3 \(ethereum\) cannot be checked/)
  })
})
