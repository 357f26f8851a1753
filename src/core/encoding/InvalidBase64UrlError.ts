import { BaseError } from '../errors/BaseError.ts'

/** Text that should be base64url (an Arweave id, owner, signature) has another character in it. */
export class InvalidBase64UrlError extends BaseError {
  override name = 'InvalidBase64UrlError'
  /** The offending character and its index in the text. */
  readonly character: string
  readonly index: number

  constructor(character: string, index: number) {
    super(`invalid base64url character ${JSON.stringify(character)} at ${index}`, {
      details: 'Arweave ids, owners and signatures are base64url (A–Z, a–z, 0–9, - and _): check the id you typed, or the server that sent the value.',
    })
    this.character = character
    this.index = index
  }
}
