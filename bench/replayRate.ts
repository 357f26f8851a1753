// Replay rate (messages/second) of one module over one message log, four ways:
//   browser   the app's worker evaluator (spawnBrowserWorker + createWorkerEvaluator, bundled by
//             Vite) in headless Chromium, timed inside the page
//   cli       the same worker evaluator in a Node worker thread, as `holoscope replay` runs it
//   cuStyle   @permaweb/ao-loader called as a CU calls it: memory passed in and copied out on
//             every message (no Holoscope code); over a sample of the log, it is that slow
//   hotLimit  ao-loader (or @assemblyscript/loader) with one live instance and no copies, no
//             Holoscope code: the fastest this module can run here
// plus `evaluator`, Holoscope's hot evaluator with no worker, to tell the worker's cost apart.
// Usage: npm run bench -- replay [--quick]   or   tsx bench/replayRate.ts [--quick]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { launchChromium } from '../e2e/support/launchChromium.ts'
import { serveStatic } from '../e2e/support/serveStatic.ts'
import { loadFixture, type Fixture } from '../processes/loadFixture.ts'
import { generateTokenLog, type LocalLog } from '../processes/tokenLog.ts'
import { aosWorkloadLog } from './replay/aosWorkloadLog.ts'
import { moduleOptionsFromTags } from '../src/core/module/moduleOptionsFromTags.ts'
import { readMemoryImport } from '../src/eval/assemblyscript/readMemoryImport.ts'
import type { PageOutcome } from './replay/harness/main.ts'
import { formatNumber, markdownTable } from './lib/markdownTable.ts'
import { median } from './lib/median.ts'
import { machineNote, recordResults } from './lib/recordResults.ts'
import { runChild } from './lib/runChild.ts'

const quick = process.argv.includes('--quick')
/** Messages after the process message; the CU way runs over the first `cuSample` of them. */
const sizes = quick ? { messages: 1_000, cuSample: 20 } : { messages: 10_000, cuSample: 100 }
/** aos: a real aos 2.0.6 module (wasm64, ~110 MB of memory from the start), slower per message and far slower the CU way. */
const aosSizes = quick ? { messages: 300, cuSample: 5 } : { messages: 2_000, cuSample: 20 }
const sizesOf = (name: string) => (name.startsWith('aos') ? aosSizes : sizes)
/**
 * The browser and the hot limit (the two sides of the ratio with a goal) run this many times,
 * taking turns, and their medians are compared: this machine's speed drifts by ±20% over
 * minutes, and turns close in time share the drift.
 */
const rounds = quick ? 1 : 3
/** Memory-Ballast (MiB) for aos-like memory: tens of MB that every copy has to move. */
const ballast = 32
const workloads = ['lua-token', 'as-token', 'aos-2.0.6'] as const
const goals = { browserVsCuStyle: 100, browserVsHotLimit: 1 / 1.3 }
/** The goals are set on the Lua fixture (aos-like memory) and on real aos. */
const goalWorkloads: readonly string[] = ['lua-token', 'aos-2.0.6']

type Run = { messages: number; seconds: number; memoryBytes: number; sha256: string; roundTripMs?: number }
type Rates = { browser: number; cli: number; evaluator: number; hotLimit: number; cuStyle: number }
const rate = (run: Run) => run.messages / run.seconds

console.log(machineNote())
const dir = mkdtempSync(join(tmpdir(), 'holoscope-bench-replay-'))
try {
  const fixtures = new Map<string, Fixture>()
  for (const name of workloads) {
    const fixture = await loadFixture(name)
    fixtures.set(name, fixture)
    // No failing messages: the no-Holoscope baselines do not roll back, and must compute the same state.
    const log: LocalLog = name.startsWith('aos')
      ? aosWorkloadLog(fixture, sizesOf(name).messages)
      : generateTokenLog({ moduleTags: fixture.tags, count: sizes.messages, seed: 1, failures: false, processTags: [{ name: 'Memory-Ballast', value: String(ballast) }] })
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(log))
  }

  // Rounds: each workload in the browser, then each hot limit, in turn.
  const chromium = await openChromium()
  const browserRuns = new Map<string, Run[]>(workloads.map((name) => [name, []]))
  const hotLimitRuns = new Map<string, Run[]>(workloads.map((name) => [name, []]))
  try {
    for (let round = 0; round < rounds; round++) {
      for (const name of workloads) browserRuns.get(name)!.push(await chromium.replay(name))
      for (const name of workloads) hotLimitRuns.get(name)!.push(await baseline(fixtures.get(name)!, join(dir, `${name}.json`), 'hot', sizesOf(name).messages))
    }
  } finally {
    await chromium.close()
  }
  const rows: string[][] = []
  const results: Record<string, unknown> = {}
  const notes: string[] = []
  for (const name of workloads) {
    const fixture = fixtures.get(name)!
    const logPath = join(dir, `${name}.json`)
    const cli = await runChild<Run>('replay/holoscopeRun.ts', [name, logPath, 'worker'])
    const evaluator = await runChild<Run>('replay/holoscopeRun.ts', [name, logPath, 'evaluator'])
    const cuStyle = await baseline(fixture, logPath, 'cu', sizesOf(name).cuSample)
    const inBrowser = browserRuns.get(name)![0]!
    const hotLimit = hotLimitRuns.get(name)![0]!
    const browserRates = browserRuns.get(name)!.map(rate)
    const hotLimitRates = hotLimitRuns.get(name)!.map(rate)
    const rates: Rates = { browser: median(browserRates), cli: rate(cli), evaluator: rate(evaluator), hotLimit: median(hotLimitRates), cuStyle: rate(cuStyle) }
    const sameMemory = [cli, evaluator, ...browserRuns.get(name)!, ...hotLimitRuns.get(name)!].every((run) => run.sha256 === inBrowser.sha256)
    const browserVsCuStyle = rates.browser / rates.cuStyle
    const browserVsHotLimit = rates.browser / rates.hotLimit
    const memoryMiB = inBrowser.memoryBytes / 2 ** 20
    const cuMemoryMiB = cuStyle.memoryBytes / 2 ** 20
    results[name] = {
      rates,
      runs: { browser: browserRates, hotLimit: hotLimitRates },
      browserVsCuStyle,
      browserVsHotLimit,
      ...(goalWorkloads.includes(name) ? { goalsMet: { browserVsCuStyle: browserVsCuStyle >= goals.browserVsCuStyle, browserVsHotLimit: browserVsHotLimit >= goals.browserVsHotLimit } } : {}),
      messages: sizesOf(name).messages,
      cuStyleMessages: sizesOf(name).cuSample,
      memoryMiB,
      cuStyleMemoryMiB: cuMemoryMiB,
      ...(name.startsWith('aos') ? {} : { ballastMiB: ballast }),
      sameFinalMemory: sameMemory,
      msPerMessage: Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, 1000 / v])),
      workerRoundTripMs: { browser: inBrowser.roundTripMs, cli: cli.roundTripMs },
    }
    rows.push([
      name,
      `${cuMemoryMiB.toFixed(0)} → ${memoryMiB.toFixed(0)} MiB`,
      formatNumber(rates.browser),
      formatNumber(rates.cli),
      formatNumber(rates.evaluator),
      formatNumber(rates.hotLimit),
      formatNumber(rates.cuStyle, 1),
      `${formatNumber(browserVsCuStyle)}x`,
      `${(1 / browserVsHotLimit).toFixed(2)}x`,
      `${inBrowser.roundTripMs!.toFixed(3)} / ${cli.roundTripMs!.toFixed(3)}`,
      sameMemory ? 'yes' : 'NO',
    ])
    const ms = (r: number) => (1000 / r).toFixed(3)
    notes.push(
      `${name}: ms per message: browser ${ms(rates.browser)}, CLI ${ms(rates.cli)}, hot evaluator without worker ${ms(rates.evaluator)}, hot limit ${ms(rates.hotLimit)};` +
        ` an empty round trip to the worker costs ${inBrowser.roundTripMs!.toFixed(3)} ms in Chromium, ${cli.roundTripMs!.toFixed(3)} ms in Node.`,
    )
    if (!sameMemory) notes.push(`${name}: the final memories differ between paths (${[inBrowser, cli, evaluator, hotLimit].map((r) => r.sha256.slice(0, 12)).join(', ')}).`)
  }

  console.log(`### Replay rate (messages/second)${quick ? ' — quick run' : ''}\n`)
  console.log(
    markdownTable(
      ['workload', 'memory (CU sample → end)', 'browser worker', 'CLI (Node worker)', 'hot evaluator, no worker', 'hot limit (no Holoscope)', `CU way (first ${sizes.cuSample}; aos ${aosSizes.cuSample})`, 'browser / CU way', 'hot limit / browser', 'worker round trip ms (browser / Node)', 'same final memory'],
      rows,
    ),
  )
  console.log(
    `\n${formatNumber(sizes.messages)} messages per fixture workload (transfers ~76%, balance/info/supply queries, mints, burns; Memory-Ballast ${ballast} MiB), ` +
      `${formatNumber(aosSizes.messages)} for aos-2.0.6 (the aos token log: an Eval loading the token, then transfers, queries, mints, Evals; its failing messages left out); no failing` +
      ` messages, so that the baselines without rollback compute the same state; message 0 not timed. CU way: ao-loader with the memory passed in and copied out on` +
      ` every message (as-token: @assemblyscript/loader, copied the same way: ao-loader has no AssemblyScript format), over the first ${sizes.cuSample} messages only (aos: ${aosSizes.cuSample}),` +
      ` while memory is at its smallest: later messages copy more. Hot limit: ao-loader with UNSAFE_MEMORY and no memory passed in (as-token: @assemblyscript/loader), no Holoscope code.`,
  )
  if (rounds > 1) console.log(`Browser and hot limit: the median of ${rounds} runs each, taking turns (runs in bench/results.json).`)
  console.log(`Goals, on ${goalWorkloads.join(' and ')}: browser ≥ ${goals.browserVsCuStyle}x the CU way; hot limit ≤ 1.3x the browser.`)
  if (quick) console.log('(A quick run is short enough for start-up costs, such as the hot evaluator\'s first rollback snapshots, to weigh: judge the goals on a full run.)')
  for (const [name, value] of Object.entries(results)) {
    const r = value as { browserVsCuStyle: number; browserVsHotLimit: number }
    if (!goalWorkloads.includes(name)) {
      console.log(`- ${name} (no goal): ${formatNumber(r.browserVsCuStyle)}x the CU way; hot limit ${(1 / r.browserVsHotLimit).toFixed(2)}x the browser`)
      continue
    }
    console.log(
      `- ${name}: ${formatNumber(r.browserVsCuStyle)}x the CU way (${r.browserVsCuStyle >= goals.browserVsCuStyle ? 'met' : 'MISSED'});` +
        ` hot limit ${(1 / r.browserVsHotLimit).toFixed(2)}x the browser (${r.browserVsHotLimit >= goals.browserVsHotLimit ? 'met' : `MISSED: the browser would have to be ${(1 / r.browserVsHotLimit / 1.3).toFixed(2)}x faster`})`,
    )
  }
  for (const note of notes) console.log(`- ${note}`)
  console.log(machineNote())
  recordResults('replay', quick, { goals, ...results })
} finally {
  rmSync(dir, { recursive: true, force: true })
}

/** Builds the benchmark page and opens headless Chromium; `replay` runs a workload in a fresh page. */
async function openChromium(): Promise<{ replay(name: string): Promise<Run>; close(): Promise<void> }> {
  await build({ configFile: fileURLToPath(new URL('./replay/harness/vite.config.ts', import.meta.url)) })
  const server = await serveStatic({
    '/fixtures/': fileURLToPath(new URL('../processes/build/', import.meta.url)),
    '/logs/': dir,
    '/': fileURLToPath(new URL('../.cache/bench-harness/', import.meta.url)),
  })
  const browser = await launchChromium()
  return {
    async replay(name) {
      const page = await browser.newPage()
      page.on('pageerror', (error) => console.error('page error:', error.message))
      await page.goto(`${server.url}/`)
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready')
      const outcome = await page.evaluate(
        ([wasmUrl, logUrl]) => (window as unknown as { holoscopeBenchReplay(w: string, l: string): Promise<PageOutcome> }).holoscopeBenchReplay(wasmUrl, logUrl),
        [`/fixtures/${name}.wasm`, `/logs/${name}.json`] as const,
      )
      await page.close()
      if (!outcome.ok) throw new Error(`${name} in Chromium: ${outcome.message}`)
      return outcome
    },
    async close() {
      await browser.close()
      await server.close()
    },
  }
}

/** Runs ao-loader (emscripten formats) or @assemblyscript/loader alone, in a fresh process. */
function baseline(fixture: Fixture, logPath: string, mode: 'cu' | 'hot', messages: number): Promise<Run> {
  const wasmPath = fileURLToPath(new URL(`../processes/build/${fixture.name}.wasm`, import.meta.url))
  const options = moduleOptionsFromTags(fixture.tags)
  if (options.format === 'wasm32-unknown-assemblyscript') {
    const memory = readMemoryImport(readFileSync(wasmPath))
    if (!memory) throw new Error(`${fixture.name} does not import its memory`)
    const limitPages = Math.floor(options.memoryLimit / 65536)
    return runChild<Run>('replay/asLoaderRun.ts', [wasmPath, String(memory.min), String(Math.min(memory.max ?? limitPages, limitPages)), logPath, mode, String(messages)])
  }
  return runChild<Run>('replay/aoLoaderRun.ts', [wasmPath, options.format, String(options.memoryLimit), logPath, mode, String(messages)])
}
