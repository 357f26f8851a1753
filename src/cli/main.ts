import { BaseError } from '../core/errors/BaseError.ts'
import { replayCommand, replayUsage } from './replayCommand.ts'

const usage = `holoscope — verify AO processes by replaying them

Commands:
${replayUsage.replace(/^/gm, '  ')}
`

/** Runs the CLI; resolves to the process exit code (0 done, 2 could not run). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === 'replay') return await replayCommand(rest, process.stdout, process.stderr)
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(usage)
      return command === undefined ? 2 : 0
    }
    process.stderr.write(`holoscope: unknown command ${JSON.stringify(command)}\n\n${usage}`)
    return 2
  } catch (error) {
    process.stderr.write(`holoscope: ${describeError(error)}\n`)
    return 2
  }
}

/** An error for a person: the message, the details where there are some; never a stack. */
export function describeError(error: unknown): string {
  if (error instanceof BaseError) return error.details ? `${error.message}\n  ${error.details.replace(/\n/g, '\n  ')}` : error.message
  if (error instanceof Error) return error.message
  return String(error)
}
