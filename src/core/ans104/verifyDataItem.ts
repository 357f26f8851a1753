import { BaseError } from '../errors/BaseError.ts'
import { toBase64Url } from '../encoding/base64url.ts'
import { deepHash } from './deepHash.ts'
import { signatureTypes } from './parseDataItem.ts'
import type { DataItemFields } from './types.ts'

/** A data item whose signature type Holoscope cannot check: nothing is known of its validity. */
export class UnsupportedSignatureError extends BaseError {
  override name = 'UnsupportedSignatureError'
  readonly signatureType: number

  constructor(signatureType: number) {
    const name = signatureTypes[signatureType]?.name
    super(`Signature type ${signatureType}${name ? ` (${name})` : ''} cannot be checked: Holoscope checks Arweave (type 1, RSA-PSS) signatures, the kind AO units sign with.`)
    this.signatureType = signatureType
  }
}

/** Whether a signature verifies; with `saltLength`, the RSA-PSS salt length it verified with. */
export type SignatureCheck = { valid: true; saltLength: number } | { valid: false }

/**
 * The message an ANS-104 signature signs: the deep hash of `["dataitem", "1", signature type
 * as decimal text, owner, target, anchor, tag bytes, data]`.
 */
export function signaturePayload(item: DataItemFields, sha384: (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>): Promise<Uint8Array> {
  const text = (s: string) => new TextEncoder().encode(s)
  return deepHash([text('dataitem'), text('1'), text(String(item.signatureType)), item.owner, item.target, item.anchor, item.rawTags, item.data], sha384)
}

/**
 * Verifies a data item's Arweave signature (RSA-PSS, SHA-256, exponent 65537) over its
 * fields with WebCrypto. RSA-PSS verification needs the signer's salt length, which the
 * signature does not carry: signers in Node (arbundles, the CU, the SU) use the largest
 * (modulus bytes − 32 − 2 = 478 for 4096-bit keys), arweave-js with WebCrypto uses 32, and
 * some use 0; each is tried, as arweave-js's own WebCrypto verifier does.
 *
 * @param subtle WebCrypto (`crypto.subtle`)
 * @returns whether it verifies; a wrong signature is `{ valid: false }`, not an error
 * @throws UnsupportedSignatureError for any other signature type
 */
export async function verifyDataItem(item: DataItemFields, subtle: SubtleCrypto): Promise<SignatureCheck> {
  const config = signatureTypes[item.signatureType]
  if (item.signatureType !== 1 || !config) throw new UnsupportedSignatureError(item.signatureType)
  if (item.owner.length !== config.ownerLength || item.signature.length !== config.signatureLength) return { valid: false }
  let key: CryptoKey
  try {
    key = await subtle.importKey('jwk', { kty: 'RSA', e: 'AQAB', n: toBase64Url(item.owner) }, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify'])
  } catch {
    // Not an RSA modulus WebCrypto accepts (e.g. a leading zero byte): nothing can verify under it.
    return { valid: false }
  }
  const payload = await signaturePayload(item, async (bytes) => new Uint8Array(await subtle.digest('SHA-384', bytes as Uint8Array<ArrayBuffer>)))
  const modulusBits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength
  const largest = Math.ceil((modulusBits - 1) / 8) - 32 - 2
  for (const saltLength of [largest, 32, 0]) {
    if (await subtle.verify({ name: 'RSA-PSS', saltLength }, key, item.signature as Uint8Array<ArrayBuffer>, payload as Uint8Array<ArrayBuffer>)) return { valid: true, saltLength }
  }
  return { valid: false }
}
