import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './UsageError.ts'

/**
 * Parses a command's arguments with `node:util`'s `parseArgs`.
 *
 * @throws UsageError with `usage` for an unknown flag, a flag without its value or an unexpected argument
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message, usage, { cause: error })
    throw error
  }
}

/**
 * The value of a `--timeout SEC` flag, in milliseconds.
 *
 * @throws UsageError with `usage` when it is not a positive number
 */
export function timeoutMsOf(seconds: string, usage: string): number {
  const value = Number(seconds)
  if (!(value > 0)) throw new UsageError(`--timeout must be a positive number of seconds, not ${JSON.stringify(seconds)}`, usage)
  return value * 1000
}
