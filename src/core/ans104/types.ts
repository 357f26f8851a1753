import type { Tag } from '../message/types.ts'

/**
 * The signed fields of an ANS-104 data item, as bytes: what its signature covers (with the
 * signature type), and the signature itself. `rawTags` are the Avro-encoded tags exactly as
 * signed; `tags` their decoding.
 */
export type DataItemFields = {
  /** 1 = Arweave (RSA-PSS 4096, SHA-256), 2 = ED25519, 3 = Ethereum, … (ANS-104 table). */
  signatureType: number
  signature: Uint8Array
  /** The signer's public key (for type 1, the 512-byte RSA modulus). */
  owner: Uint8Array
  /** Empty, or 32 bytes. */
  target: Uint8Array
  /** Empty, or 32 bytes. */
  anchor: Uint8Array
  tags: Tag[]
  rawTags: Uint8Array
  data: Uint8Array
}

/** A data item read from its binary form: its fields and its id (base64url(sha256(signature))). */
export type ParsedDataItem = DataItemFields & { id: string }
