import { BaseError } from '../errors/BaseError.ts'

/** Bytes that are not an ANS-104 data item (truncated, unknown signature type, bad tags). */
export class DataItemFormatError extends BaseError {
  override name = 'DataItemFormatError'
}
