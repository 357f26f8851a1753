import { describeError } from '../core/errors/describeError.ts'
import { replayCommand, replayUsage } from './replayCommand.ts'
import { UsageError } from './UsageError.ts'
import { verifyCommand, verifyUsage } from './verifyCommand.ts'

const usage = `holoscope — verify AO processes by replaying them

Commands:
${replayUsage.replace(/^/gm, '  ')}

${verifyUsage.replace(/^/gm, '  ')}
`

/** Runs the CLI; resolves to the process exit code (0 done, 2 could not run or a usage mistake). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === 'replay') return await replayCommand(rest, process.stdout, process.stderr)
    if (command === 'verify') return await verifyCommand(rest, process.stdout, process.stderr)
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(usage)
      return command === undefined ? 2 : 0
    }
    process.stderr.write(`holoscope: unknown command ${JSON.stringify(command)}\n\n${usage}`)
    return 2
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`holoscope: ${error.message}\n\n${error.usage}\n`)
      return 2
    }
    const { message, details } = describeError(error)
    process.stderr.write(`holoscope: ${message}\n${details ? `  ${details.replace(/\n/g, '\n  ')}\n` : ''}`)
    return 2
  }
}
