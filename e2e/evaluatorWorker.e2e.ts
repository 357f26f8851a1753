import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'vite'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { loadFixture } from '../processes/loadFixture.ts'
import { generateTokenLog, type LocalLog } from '../processes/tokenLog.ts'
import type { Step } from '../src/core/evaluator/protocol.ts'
import { spawnNodeWorker } from '../src/eval/node/spawnNodeWorker.ts'
import { replayLocalLog } from '../src/replay/replayLocalLog.ts'
import { aosReferenceLog, balancesDryRun, loadAosCuReference, resultSha256 } from '../src/eval/reference/aosCuReference.ts'
import type { GrowProbe, HarnessOutcome, HarnessReplayOptions } from './harness/main.ts'
import { launchChromium } from './support/launchChromium.ts'
import { serveStatic } from './support/serveStatic.ts'

type HarnessWindow = { holoscopeReplay(wasmUrl: string, log: LocalLog, options?: HarnessReplayOptions): Promise<HarnessOutcome> }

let browser: Browser
let page: Page
let server: Awaited<ReturnType<typeof serveStatic>>

beforeAll(async () => {
  await build({ configFile: fileURLToPath(new URL('./harness/vite.config.ts', import.meta.url)) })
  server = await serveStatic({
    '/fixtures/': fileURLToPath(new URL('../processes/build/', import.meta.url)),
    '/': fileURLToPath(new URL('../.cache/e2e-harness/', import.meta.url)),
  })
  browser = await launchChromium()
  page = await browser.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  await page.goto(`${server.url}/`)
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready')
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

function replayInChromium(name: string, log: LocalLog, options: HarnessReplayOptions = {}): Promise<HarnessOutcome> {
  return page.evaluate(([url, log, options]) => (window as unknown as HarnessWindow).holoscopeReplay(url, log, options), [`/fixtures/${name}.wasm`, log, options] as const)
}

async function inNode(name: string, log: LocalLog): Promise<Step[]> {
  const { wasm } = await loadFixture(name)
  return (await replayLocalLog({ wasm, log, spawn: spawnNodeWorker, digests: true })).steps
}

describe.each(['lua-token', 'lua-token4', 'as-token'])('%s in a Web Worker in Chromium', (name) => {
  it('gives the same results and memory SHA-256 after every message as in Node', async () => {
    const fixture = await loadFixture(name)
    const log = generateTokenLog({ moduleTags: fixture.tags, count: 150, seed: 3, traps: true })
    const outcome = await replayInChromium(name, log)
    if (!outcome.ok) throw new Error(`${outcome.name}: ${outcome.message}`)
    const expected = await inNode(name, log)
    expect(outcome.steps).toHaveLength(log.messages.length)
    for (const [i, step] of outcome.steps.entries()) {
      expect(step.result, `nonce ${i}`).toEqual(expected[i]!.result)
      expect(step.memory, `nonce ${i}`).toEqual(expected[i]!.memory)
    }
    expect(outcome.steps.some((s) => s.result.Error !== undefined)).toBe(true)
  })

  it('terminates the worker of an endless message and says which message', async () => {
    const fixture = await loadFixture(name)
    const log = generateTokenLog({ moduleTags: fixture.tags, count: 2, seed: 3, failures: false })
    log.messages.push({ ...log.messages[1]!, Id: 'endless', Nonce: 3, Tags: [{ name: 'Action', value: 'Spin' }] })
    // The messages before it run under the default limit, so only the endless one meets the
    // 5 s watchdog (a busy machine's slow start cannot trip it), in a worker restored from their state.
    const watchdogFrom = log.messages.length - 1
    const outcome = await replayInChromium(name, log, { messageTimeoutMs: 5000, watchdogFrom })
    expect(outcome).toMatchObject({ ok: false, name: 'EvaluationTimeoutError', steps: watchdogFrom })
    expect(outcome.ok === false && outcome.message).toMatch(/message endless \(nonce 3\) did not finish within 5\.0 s/)
  })
})

// Real aos modules: aos 2.0.6 (wasm64: an i64 memory, whose grow takes a BigInt in Chromium) and
// aos 2.0.4 (wasm32 emscripten4), over an aos token log, against ao-loader called the CU way in a
// Node worker (recorded: it costs about a second per message; src/eval/reference/).
describe.each(['aos-2.0.6', 'aos-2.0.4-32'])('%s in a Web Worker in Chromium', (name) => {
  it('gives the results, memory SHA-256 at chosen nonces and Balances dry-run of Node\'s CU way', async () => {
    const fixture = await loadFixture(name)
    const log = aosReferenceLog(fixture)
    const reference = await loadAosCuReference(fixture, log)
    // Memory after the failures the reference has it for (their rollback), mid-log and at the end: a digest costs about a second.
    const last = log.messages[log.messages.length - 1]!.Nonce!
    const digestAt = Object.keys(reference.memory).map(Number).filter((nonce) => reference.errors.includes(nonce) || nonce === 150 || nonce === last)
    const outcome = await replayInChromium(name, log, { digestAt, query: balancesDryRun(log) })
    if (!outcome.ok) throw new Error(`${outcome.name}: ${outcome.message}`)
    expect(outcome.steps).toHaveLength(log.messages.length)
    for (const [i, step] of outcome.steps.entries()) {
      expect(resultSha256(step.result), `nonce ${log.messages[i]!.Nonce}: ${JSON.stringify(step.result).slice(0, 400)}`).toBe(reference.results[i])
      if (!digestAt.includes(log.messages[i]!.Nonce!)) continue
      // The page digests whole memories: a fresh run grows its heap as the CU way does, to the same length.
      expect(step.memory, `memory after nonce ${log.messages[i]!.Nonce}`).toEqual(reference.memory[log.messages[i]!.Nonce!])
    }
    expect(digestAt.length).toBeGreaterThanOrEqual(4)
    expect(outcome.steps.flatMap((s, i) => (s.result.Error === undefined ? [] : [log.messages[i]!.Nonce]))).toEqual(reference.errors)
    expect(outcome.query).toEqual(reference.balances)
  })
})

describe("Chromium's memory64", () => {
  it('takes only a BigInt in an i64 memory\'s grow, where the wasm64 glue passes a Number; adaptMemory64 makes that Number grow it', async () => {
    const probe = await page.evaluate(() => (window as unknown as { holoscopeGrowProbe(): GrowProbe }).holoscopeGrowProbe())
    expect(probe.before).toBe('TypeError: Cannot convert 590.9999847412109 to a BigInt')
    // The glue reads the old size as a Number; the page count is truncated, as a Number argument is.
    expect(probe).toMatchObject({ after: 'returned number', pages: 591 })
  })
})

describe('a wasm64 module in a browser whose memories cannot grow', () => {
  it('ends the run with EvaluatorHostError naming the memory growth, not with results carrying Error', async () => {
    const fixture = await loadFixture('aos-2.0.6')
    const log = aosReferenceLog(fixture)
    const outcome = await replayInChromium('aos-2.0.6', log, { digestAt: [], worker: 'faulty-grow' })
    expect(outcome).toMatchObject({ ok: false, name: 'EvaluatorHostError' })
    if (outcome.ok) return
    expect(outcome.message).toMatch(/could not grow the module's wasm64-unknown-emscripten-draft_2024_02_15 memory/)
    expect(outcome.message).toMatch(/TypeError: Cannot convert \d+ to a BigInt/)
    // Stopped at the message that needed more memory, long before the end of the log.
    expect(outcome.steps).toBeLessThan(5)
  })
})
