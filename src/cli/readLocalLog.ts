import { readFile } from 'node:fs/promises'
import { BaseError } from '../core/errors/BaseError.ts'
import { parseLocalLog, type LocalLog } from '../core/message/parseLocalLog.ts'

/** A local file the CLI was given cannot be used. */
export class InputFileError extends BaseError {
  override name = 'InputFileError'
}

/**
 * Reads and checks a local log file.
 *
 * @throws InputFileError when it cannot be read; LocalLogError when it is not a log
 */
export async function readLocalLog(path: string): Promise<LocalLog> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new InputFileError(`Cannot read the log file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  return parseLocalLog(text, path)
}
