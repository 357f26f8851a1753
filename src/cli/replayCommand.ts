import { readFile } from 'node:fs/promises'
import { moduleFormats } from '../core/module/types.ts'
import { spawnNodeWorker } from '../eval/node/spawnNodeWorker.ts'
import { replayLocalLog } from '../replay/replayLocalLog.ts'
import { parseCommandArgs, timeoutMsOf } from './parseCommandArgs.ts'
import { InputFileError, readLocalLog } from './readLocalLog.ts'
import { progressBar } from './progressBar.ts'
import { summarizeResult } from './summarizeResult.ts'
import { UsageError } from './UsageError.ts'

/** Usage of `holoscope replay`. */
export const replayUsage = `holoscope replay --module FILE.wasm --log LOG.json [options]

Replays a local module over a local log, with no network, and prints each result and the
final memory SHA-256.

  --module FILE     the module's WebAssembly bytes
  --log FILE        { "process": {Id, Owner, Tags}, "module": {Id, Owner, Tags}, "messages": [...] }
  --format F        Module-Format, when the log's module tags lack it or to override them
                    (${moduleFormats.join(', ')})
  --mode hot|cu     hot: one live instance (default); cu: memory copied in and out per message,
                    as a CU calls ao-loader
  --digests         print the memory SHA-256 after every message
  --timeout SEC     stop a message that runs longer (default 60)
  --json            print JSON: { mode, results: [{ nonce, id, result, memory? }], memory }`

/** Runs `holoscope replay`; resolves to the exit code. */
export async function replayCommand(argv: string[], out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      module: { type: 'string' },
      log: { type: 'string' },
      format: { type: 'string' },
      mode: { type: 'string', default: 'hot' },
      digests: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }, replayUsage)
  if (values.help) {
    out.write(`${replayUsage}\n`)
    return 0
  }
  if (!values.module || !values.log) throw new UsageError('replay needs --module FILE.wasm and --log LOG.json', replayUsage)
  const mode = values.mode
  if (mode !== 'hot' && mode !== 'cu') throw new UsageError(`--mode must be hot or cu, not ${JSON.stringify(values.mode)}`, replayUsage)
  const messageTimeoutMs = timeoutMsOf(values.timeout, replayUsage)

  const log = await readLocalLog(values.log)
  let wasm: Uint8Array
  try {
    wasm = new Uint8Array(await readFile(values.module))
  } catch (error) {
    throw new InputFileError(`Cannot read the module file ${values.module}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  const progress = progressBar(err, log.messages.length, 'replay')
  const results: unknown[] = []
  const { memory } = await replayLocalLog({
    wasm,
    log,
    spawn: spawnNodeWorker,
    format: values.format,
    mode,
    messageTimeoutMs,
    digests: values.digests,
    onStep(msg, step, { done }) {
      progress.update(done)
      if (values.json) results.push({ nonce: msg.Nonce ?? null, id: msg.Id ?? null, ...step })
      else out.write(`${summarizeResult(msg, step.result)}${step.memory ? `  mem ${step.memory.sha256.slice(0, 16)}` : ''}\n`)
    },
  })
  progress.done()
  if (values.json) out.write(`${JSON.stringify({ mode, results, memory: { length: memory.length, sha256: memory.sha256 } })}\n`)
  else out.write(`memory: ${memory.length} bytes, SHA-256 ${memory.sha256}\n`)
  return 0
}
