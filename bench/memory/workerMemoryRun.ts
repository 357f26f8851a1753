// Child process for workerMemory.ts: replays a log in a Node worker evaluator exactly as
// `holoscope replay` does (createWorkerEvaluator + spawnNodeWorker, one message per round trip,
// the final memory digest), and reports the process's resident memory (worker included):
//   tsx bench/memory/workerMemoryRun.ts <fixture> <log.json>
// Prints one JSON line: { memoryBytes, rss: { beforeWorker, loaded, peakSampled, peakMessages, peakWithDigest } }
// (bytes). Peaks are the kernel's high-water mark (resourceUsage().maxRSS), which also catches
// short-lived copies that sampling after each message would miss.
import { readFileSync } from 'node:fs'
import { resourceUsage } from 'node:process'
import { loadFixture } from '../../processes/loadFixture.ts'
import type { LocalLog } from '../../src/core/message/parseLocalLog.ts'
import { moduleOptionsFromTags } from '../../src/core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../../src/eval/createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../../src/eval/node/spawnNodeWorker.ts'

const [fixtureName, logPath] = process.argv.slice(2)
if (!fixtureName || !logPath) throw new Error('usage: workerMemoryRun.ts <fixture> <log.json>')
const fixture = await loadFixture(fixtureName)
const log = JSON.parse(readFileSync(logPath, 'utf8')) as LocalLog
const env = { Process: log.process, Module: log.module }
const rss = () => process.memoryUsage.rss()
const maxRss = () => resourceUsage().maxRSS * 1024

const beforeWorker = rss()
const evaluator = await createWorkerEvaluator(spawnNodeWorker, fixture.wasm, moduleOptionsFromTags(log.module.Tags, log.process.Tags))
const loaded = rss()
let peakSampled = loaded
let errors = 0
for (const msg of log.messages) {
  const [step] = await evaluator.evaluate([msg], env)
  if (step!.result.Error !== undefined) errors++
  peakSampled = Math.max(peakSampled, rss())
}
const peakMessages = maxRss()
const digest = await evaluator.digest()
const peakWithDigest = maxRss()
evaluator.terminate()
console.log(JSON.stringify({ messages: log.messages.length, errors, memoryBytes: digest.length, rss: { beforeWorker, loaded, peakSampled, peakMessages, peakWithDigest } }))
