import { BaseError } from '../errors/BaseError.ts'

/** An assignment id or Hash-Chain that is not 32 bytes, so no hash chain can be computed from it. */
export class HashChainInputError extends BaseError {
  override name = 'HashChainInputError'

  /** `what` names the value ("assignment id", "hash chain"); `length` is its decoded byte length. */
  constructor(what: string, text: string, length: number) {
    super(`${what} ${JSON.stringify(text)} is ${length} bytes, not 32`, {
      details: 'Assignment ids and Hash-Chains are 32 bytes of base64url (43 characters): the SU sent a damaged value.',
    })
  }
}
