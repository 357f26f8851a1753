import { sha256 } from '@noble/hashes/sha2.js'
import { toBase64Url } from '../encoding/base64url.ts'

/** An Arweave address: base64url(sha256(owner public key bytes)), as gateways and the SU give it. */
export function ownerAddress(owner: Uint8Array): string {
  return toBase64Url(sha256(owner))
}
