// Memory: the peak resident memory of a replay with aos-size process memory (~120 MiB:
// lua-token with Memory-Ballast 64), in a Node worker as `holoscope replay` runs it, reported
// as (peak RSS − RSS once the module is loaded) / process memory size: how many copies of the
// process memory the replay holds at its worst. Goal: about two (the live memory and the
// rollback snapshot). For scale, ao-loader alone, hot (one copy is the floor) and the CU way.
// Each run is a fresh Node process; peaks are the kernel's high-water mark (maxRSS).
// Usage: npm run bench -- memory [--quick]   or   tsx bench/workerMemory.ts [--quick]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadFixture } from '../processes/loadFixture.ts'
import { generateTokenLog } from '../processes/tokenLog.ts'
import { moduleOptionsFromTags } from '../src/core/module/moduleOptionsFromTags.ts'
import { formatNumber, markdownTable } from './lib/markdownTable.ts'
import { machineNote, recordResults } from './lib/recordResults.ts'
import { runChild } from './lib/runChild.ts'

const quick = process.argv.includes('--quick')
const sizes = quick ? { messages: 200, cuSample: 5 } : { messages: 1_000, cuSample: 20 }
const ballast = 64
const goal = 2
const fixtureName = 'lua-token'
const MiB = 2 ** 20

type WorkerRun = { messages: number; errors: number; memoryBytes: number; rss: { beforeWorker: number; loaded: number; peakSampled: number; peakMessages: number; peakWithDigest: number } }
type LoaderRun = { messages: number; memoryBytes: number; rss: { loaded: number; peak: number } }

console.log(machineNote())
const dir = mkdtempSync(join(tmpdir(), 'holoscope-bench-memory-'))
try {
  const fixture = await loadFixture(fixtureName)
  // The usual token log, failing messages included: the hot evaluator rolls them back.
  const log = generateTokenLog({ moduleTags: fixture.tags, count: sizes.messages, seed: 1, processTags: [{ name: 'Memory-Ballast', value: String(ballast) }] })
  const logPath = join(dir, 'log.json')
  writeFileSync(logPath, JSON.stringify(log))
  const wasmPath = fileURLToPath(new URL(`../processes/build/${fixtureName}.wasm`, import.meta.url))
  const options = moduleOptionsFromTags(fixture.tags)
  const loader = (mode: 'hot' | 'cu', count: number) => runChild<LoaderRun>('replay/aoLoaderRun.ts', [wasmPath, options.format, String(options.memoryLimit), logPath, mode, String(count)])

  const worker = await runChild<WorkerRun>('memory/workerMemoryRun.ts', [fixtureName, logPath])
  const hot = await loader('hot', sizes.messages)
  const cu = await loader('cu', sizes.cuSample)

  const size = worker.memoryBytes
  const copies = (peak: number, base: number, bytes = size) => (peak - base) / bytes
  const rows = [
    { run: 'Holoscope Node worker (CLI path), during messages', messages: worker.messages, memory: size, base: worker.rss.loaded, peak: worker.rss.peakMessages },
    { run: 'Holoscope Node worker, with the final memory digest', messages: worker.messages, memory: size, base: worker.rss.loaded, peak: worker.rss.peakWithDigest },
    { run: 'ao-loader alone, hot (no Holoscope)', messages: hot.messages + 1, memory: hot.memoryBytes, base: hot.rss.loaded, peak: hot.rss.peak },
    { run: `ao-loader, the CU way (first ${sizes.cuSample} messages)`, messages: cu.messages + 1, memory: cu.memoryBytes, base: cu.rss.loaded, peak: cu.rss.peak },
  ]
  console.log(`### Memory: peak resident memory of a replay, in copies of the process memory${quick ? ' — quick run' : ''}\n`)
  console.log(
    markdownTable(
      ['run', 'messages', 'process memory', 'RSS loaded', 'peak RSS', 'peak − loaded', 'copies'],
      rows.map((r) => [r.run, formatNumber(r.messages), `${(r.memory / MiB).toFixed(1)} MiB`, `${formatNumber(r.base / MiB)} MiB`, `${formatNumber(r.peak / MiB)} MiB`, `${formatNumber((r.peak - r.base) / MiB)} MiB`, copies(r.peak, r.base, r.memory).toFixed(2)]),
    ),
  )
  const during = copies(worker.rss.peakMessages, worker.rss.loaded)
  const withDigest = copies(worker.rss.peakWithDigest, worker.rss.loaded)
  console.log(
    `\n${fixtureName} with Memory-Ballast ${ballast} MiB over a token log of ${formatNumber(worker.messages)} messages (${worker.errors} fail and are rolled back).` +
      ` RSS is the whole process (main thread + worker); "loaded" is after the worker started and loaded the module (worker start itself:` +
      ` ${formatNumber((worker.rss.loaded - worker.rss.beforeWorker) / MiB)} MiB). Highest RSS sampled after a message: ${formatNumber(worker.rss.peakSampled / MiB)} MiB.`,
  )
  console.log(`Goal: about ${goal} copies at most (up to ${(goal * 1.1).toFixed(1)} counted as met): ${during.toFixed(2)} during messages (${during <= goal * 1.1 ? 'met' : 'MISSED'}), ${withDigest.toFixed(2)} with the final digest (${withDigest <= goal * 1.1 ? 'met' : 'MISSED'}).`)
  console.log(machineNote())
  recordResults('memory', quick, {
    fixture: fixtureName,
    ballastMiB: ballast,
    messages: worker.messages,
    memoryMiB: size / MiB,
    copies: { duringMessages: during, withFinalDigest: withDigest, aoLoaderHot: copies(hot.rss.peak, hot.rss.loaded, hot.memoryBytes), aoLoaderCuWay: copies(cu.rss.peak, cu.rss.loaded, cu.memoryBytes) },
    rssMiB: Object.fromEntries(Object.entries(worker.rss).map(([k, v]) => [k, v / MiB])),
    goal: { copies: goal, met: during <= goal * 1.1 },
  })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
