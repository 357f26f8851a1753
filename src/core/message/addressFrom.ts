import { keccak_256 } from '@noble/hashes/sha3.js'
import { fromBase64Url, toHex } from '../encoding/base64url.ts'
import type { Owner } from './types.ts'

/**
 * The address a CU uses for an owner: for a 65-byte (uncompressed secp256k1, Ethereum) key
 * the EIP-55 checksummed `0x…` address, for every other key the SU's address.
 */
export function addressFrom(owner: Owner): string {
  let key: Uint8Array
  try {
    key = fromBase64Url(owner.key)
  } catch {
    return owner.address
  }
  if (key.length !== 65) return owner.address
  const hex = toHex(keccak_256(key.subarray(1)).subarray(-20))
  return `0x${checksum(hex)}`
}

/** EIP-55 mixed-case checksum of a lowercase 40-digit hex address. */
function checksum(hex: string): string {
  const hash = toHex(keccak_256(new TextEncoder().encode(hex)))
  let out = ''
  for (let i = 0; i < hex.length; i++) {
    const c = hex[i]!
    out += parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c
  }
  return out
}
