// Child process for replayRate.ts: @assemblyscript/loader alone, no Holoscope code, over a log file.
//   tsx bench/replay/asLoaderRun.ts <module.wasm> <memoryPagesMin> <memoryPagesMax> <log.json> <cu|hot> <messages>
// cu: one instance whose memory is copied in before and out after every message, the way a CU
// calls ao-loader (ao-loader itself has no AssemblyScript format). hot: one live instance,
// nothing copied (the limit). Prints one JSON line: { messages, seconds, memoryBytes, sha256 }.
// Message 0 (the process message, which allocates any ballast) is evaluated first, not timed.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { instantiate } from '@assemblyscript/loader'

const clock = process.hrtime.bigint.bind(process.hrtime)
const [wasmPath, minPages, maxPages, logPath, mode, count] = process.argv.slice(2)
if (!wasmPath || !minPages || !maxPages || !logPath || (mode !== 'cu' && mode !== 'hot') || !count) {
  throw new Error('usage: asLoaderRun.ts <module.wasm> <memoryPagesMin> <memoryPagesMax> <log.json> <cu|hot> <messages>')
}
const log = JSON.parse(readFileSync(logPath, 'utf8')) as { process: unknown; module: unknown; messages: unknown[] }
const envJson = JSON.stringify({ Process: log.process, Module: log.module })
const messages = log.messages.slice(0, Number(count) + 1)
const memory = new WebAssembly.Memory({ initial: Number(minPages), maximum: Number(maxPages) })
const { exports } = await instantiate<{ handle(msg: number, env: number): number }>(readFileSync(wasmPath), {
  env: {
    memory,
    abort: () => {
      throw new Error('abort')
    },
  },
})

let saved: Uint8Array | null = null
let errors = 0
const step = (msg: unknown) => {
  if (mode === 'cu' && saved) {
    if (memory.buffer.byteLength < saved.byteLength) memory.grow((saved.byteLength - memory.buffer.byteLength) / 65536)
    new Uint8Array(memory.buffer).set(saved)
  }
  const msgPtr = exports.__pin(exports.__newString(JSON.stringify(msg)))
  const envPtr = exports.__pin(exports.__newString(envJson))
  const text = exports.__getString(exports.handle(msgPtr, envPtr))
  exports.__unpin(msgPtr)
  exports.__unpin(envPtr)
  const { ok, response } = JSON.parse(text) as { ok: boolean; response: { Error?: unknown } }
  if (!ok || response.Error !== undefined) errors++
  if (mode === 'cu') saved = new Uint8Array(memory.buffer).slice()
}
step(messages[0])
const started = clock()
for (const msg of messages.slice(1)) step(msg)
const seconds = Number(clock() - started) / 1e9
const bytes = new Uint8Array(memory.buffer)
console.log(JSON.stringify({ messages: messages.length - 1, seconds, errors, memoryBytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') }))
