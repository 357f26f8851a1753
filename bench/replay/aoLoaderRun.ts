// Child process for replayRate.ts and workerMemory.ts: @permaweb/ao-loader alone, no Holoscope
// code, over a log file.
//   tsx bench/replay/aoLoaderRun.ts <module.wasm> <format> <memoryLimit> <log.json> <cu|hot> <messages>
// cu: the memory is passed in and copied out on every message, as a CU calls ao-loader.
// hot: one instance with UNSAFE_MEMORY and no memory passed in, so nothing is copied (the limit).
// Prints one JSON line: { messages, seconds, errors, memoryBytes, sha256, rss: { loaded, peak } }
// (rss in bytes: after the instance is created, and the process's high-water mark at the end).
// Message 0 (the process message, which allocates any ballast) is evaluated first, not timed.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resourceUsage } from 'node:process'

// ao-loader replaces Date.now, Math.random and performance.now for the realm: take a clock first.
const clock = process.hrtime.bigint.bind(process.hrtime)
type Handle = (memory: ArrayBuffer | Uint8Array | null, msg: unknown, env: unknown) => Promise<{ Memory: ArrayBuffer | Uint8Array; Error?: unknown }>
const AoLoader = createRequire(import.meta.url)('@permaweb/ao-loader') as (wasm: Uint8Array, options: Record<string, unknown>) => Promise<Handle>

const [wasmPath, format, memoryLimit, logPath, mode, count] = process.argv.slice(2)
if (!wasmPath || !format || !memoryLimit || !logPath || (mode !== 'cu' && mode !== 'hot') || !count) {
  throw new Error('usage: aoLoaderRun.ts <module.wasm> <format> <memoryLimit> <log.json> <cu|hot> <messages>')
}
// Pin the host environment the glue writes into memory as Holoscope's workers do (the host
// script's path becomes the glue's default), so that final memories can be compared.
process.argv.splice(1, process.argv.length - 1, './this.program')
const log = JSON.parse(readFileSync(logPath, 'utf8')) as { process: unknown; module: unknown; messages: unknown[] }
const env = { Process: log.process, Module: log.module }
const messages = log.messages.slice(0, Number(count) + 1)
const handle = await AoLoader(new Uint8Array(readFileSync(wasmPath)), {
  format,
  inputEncoding: 'JSON-1',
  outputEncoding: 'JSON-1',
  memoryLimit,
  computeLimit: 9e12,
  extensions: [],
  ...(mode === 'hot' ? { UNSAFE_MEMORY: true } : {}),
})
const loaded = process.memoryUsage.rss()

let memory: ArrayBuffer | Uint8Array | null = null
let errors = 0
const step = async (msg: unknown) => {
  const result = await handle(mode === 'cu' ? memory : null, msg, env)
  if (result.Error !== undefined) errors++
  memory = result.Memory
}
await step(messages[0])
const started = clock()
for (const msg of messages.slice(1)) await step(msg)
const seconds = Number(clock() - started) / 1e9
const peak = resourceUsage().maxRSS * 1024
const bytes = memory === null ? new Uint8Array() : new Uint8Array(memory as ArrayBuffer)
const sha256 = createHash('sha256').update(bytes).digest('hex')
console.log(JSON.stringify({ messages: messages.length - 1, seconds, errors, memoryBytes: bytes.byteLength, sha256, rss: { loaded, peak } }))
