import { BaseError } from '../core/errors/BaseError.ts'
import type { CheckpointKey } from '../core/checkpoint/types.ts'

/** The local database was written by a newer Holoscope than this page (another tab, or a downgrade). */
export class StoreVersionError extends BaseError {
  override name = 'StoreVersionError'
  readonly database: string

  constructor(database: string, cause: unknown) {
    super(`The local database "${database}" was written by a newer version of Holoscope. Reload this page to get the newer version, or clear the site's data.`, { cause })
    this.database = database
  }
}

/** The connection was closed: another tab upgraded the database, or the store was closed. */
export class StoreClosedError extends BaseError {
  override name = 'StoreClosedError'
  readonly database: string

  constructor(database: string, reason: 'upgraded elsewhere' | 'closed') {
    super(
      reason === 'upgraded elsewhere'
        ? `The local database "${database}" was upgraded by a newer Holoscope in another tab. Reload this page to go on.`
        : `The local database "${database}" is closed.`,
    )
    this.database = database
  }
}

/**
 * A stored checkpoint's memory is not what it was: a chunk is missing, does not decompress, or
 * the memory's SHA-256 differs from the one recorded. The checkpoint has been deleted.
 */
export class CorruptCheckpointError extends BaseError {
  override name = 'CorruptCheckpointError'
  readonly processId: string
  readonly nonce: number

  constructor(key: CheckpointKey, reason: string) {
    super(`The local checkpoint of process ${key.processId} at nonce ${key.nonce} is corrupted (${reason}) and was deleted. The process will be replayed from an earlier checkpoint.`)
    this.processId = key.processId
    this.nonce = key.nonce
  }
}

/** The browser refused to delete the local database (private mode, a broken profile, a policy). */
export class StoreDeleteError extends BaseError {
  override name = 'StoreDeleteError'
  readonly database: string

  constructor(database: string, cause: unknown) {
    super(`The local database "${database}" could not be deleted. Clear this site's data in the browser's settings instead.`, { cause, ...(cause instanceof Error ? { details: cause.message } : {}) })
    this.database = database
  }
}
