import { sha256 } from '@noble/hashes/sha2.js'
import { fromBase64Url, toBase64Url } from '../encoding/base64url.ts'
import { HashChainInputError } from './HashChainInputError.ts'

/**
 * The first link of an SU hash chain: base64url(sha256(process id bytes)).
 *
 * @throws HashChainInputError when the id is not 32 bytes; InvalidBase64UrlError when it is not base64url
 */
export function firstHashChain(processId: string): string {
  return toBase64Url(sha256(id32(processId, 'process id')))
}

/**
 * The next link: base64url(sha256(previous assignment id bytes ‖ previous link bytes)),
 * as the SU computes it and the CU checks it.
 *
 * @throws HashChainInputError when either input is not 32 bytes; InvalidBase64UrlError when one is not base64url
 */
export function nextHashChain(previousAssignmentId: string, previousHashChain: string): string {
  const input = new Uint8Array(64)
  input.set(id32(previousAssignmentId, 'assignment id'), 0)
  input.set(id32(previousHashChain, 'hash chain'), 32)
  return toBase64Url(sha256(input))
}

function id32(text: string, what: string): Uint8Array {
  const bytes = fromBase64Url(text)
  if (bytes.length !== 32) throw new HashChainInputError(what, text, bytes.length)
  return bytes
}
