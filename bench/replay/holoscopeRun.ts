// Child process for replayRate.ts: Holoscope's own paths over a log file.
//   tsx bench/replay/holoscopeRun.ts <fixture> <log.json> <worker|evaluator>
// worker: the CLI's path (`holoscope replay`): replayLocalLog with a Node worker thread
// (spawnNodeWorker + createWorkerEvaluator), one message per round trip, without printing.
// evaluator: the hot evaluator in this thread, no worker (to tell the worker's cost apart).
// Prints one JSON line: { messages, seconds, memoryBytes, sha256 } (worker: and roundTripMs,
// see measureRoundTrip.ts). Message 0 (the process message, which allocates any ballast) is
// evaluated first and not timed.
import { readFileSync } from 'node:fs'

// ao-loader replaces the realm's clocks when it runs in this thread: take one first.
const clock = process.hrtime.bigint.bind(process.hrtime)
const { loadFixture } = await import('../../processes/loadFixture.ts')
const { moduleOptionsFromTags } = await import('../../src/core/module/moduleOptionsFromTags.ts')
const { createEvaluator } = await import('../../src/eval/createEvaluator.ts')
const { memoryDigest } = await import('../../src/eval/memoryDigest.ts')
const { spawnNodeWorker } = await import('../../src/eval/node/spawnNodeWorker.ts')
const { replayLocalLog } = await import('../../src/replay/replayLocalLog.ts')
const { pinHostEnvironment } = await import('../../workers/pinHostEnvironment.ts')
const { measureRoundTrip } = await import('./measureRoundTrip.ts')
type LocalLog = import('../../src/core/message/parseLocalLog.ts').LocalLog

const [fixtureName, logPath, mode] = process.argv.slice(2)
if (!fixtureName || !logPath || (mode !== 'worker' && mode !== 'evaluator')) throw new Error('usage: holoscopeRun.ts <fixture> <log.json> <worker|evaluator>')
const fixture = await loadFixture(fixtureName)
const log = JSON.parse(readFileSync(logPath, 'utf8')) as LocalLog
const messages = log.messages.length - 1

if (mode === 'worker') {
  let started = 0n
  let ended = 0n
  const { memory } = await replayLocalLog({
    wasm: fixture.wasm,
    log,
    spawn: spawnNodeWorker,
    onStep(_msg, _step, { done, total }) {
      if (done === 1) started = clock()
      if (done === total) ended = clock()
    },
  })
  const roundTripMs = await measureRoundTrip(spawnNodeWorker)
  console.log(JSON.stringify({ messages, seconds: Number(ended - started) / 1e9, memoryBytes: memory.length, sha256: memory.sha256, roundTripMs }))
} else {
  // As in an evaluator worker, so that memory can be compared with the other paths.
  pinHostEnvironment()
  const env = { Process: log.process, Module: log.module }
  const evaluator = await createEvaluator(fixture.wasm, moduleOptionsFromTags(log.module.Tags, log.process.Tags))
  await evaluator.evaluate(log.messages[0]!, env)
  const started = clock()
  for (const msg of log.messages.slice(1)) await evaluator.evaluate(msg, env)
  const seconds = Number(clock() - started) / 1e9
  const memory = await memoryDigest(evaluator.memory())
  console.log(JSON.stringify({ messages, seconds, memoryBytes: memory.length, sha256: memory.sha256 }))
}
