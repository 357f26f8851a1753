import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'vite'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { loadFixture } from '../processes/loadFixture.ts'
import { generateTokenLog, type LocalLog } from '../processes/tokenLog.ts'
import type { Step } from '../workers/evaluator.api.ts'
import { spawnNodeWorker } from '../src/eval/node/spawnNodeWorker.ts'
import { replayLocalLog } from '../src/replay/replayLocalLog.ts'
import { launchChromium } from './support/launchChromium.ts'
import { serveStatic } from './support/serveStatic.ts'

type Outcome = { ok: true; steps: Step[] } | { ok: false; name: string; message: string }
type HarnessWindow = { holoscopeReplay(wasmUrl: string, log: LocalLog, mode?: string, timeoutMs?: number): Promise<Outcome> }

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

async function inNode(name: string, log: LocalLog): Promise<Step[]> {
  const { wasm } = await loadFixture(name)
  return (await replayLocalLog({ wasm, log, spawn: spawnNodeWorker, digests: true })).steps
}

describe.each(['lua-token', 'lua-token4', 'as-token'])('%s in a Web Worker in Chromium', (name) => {
  it('gives the same results and memory SHA-256 after every message as in Node', async () => {
    const fixture = await loadFixture(name)
    const log = generateTokenLog({ moduleTags: fixture.tags, count: 150, seed: 3, traps: true })
    const outcome = await page.evaluate(
      ([url, log]) => (window as unknown as HarnessWindow).holoscopeReplay(url, log),
      [`/fixtures/${name}.wasm`, log] as const,
    )
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
    const outcome = await page.evaluate(
      ([url, log]) => (window as unknown as HarnessWindow).holoscopeReplay(url, log, 'hot', 1500),
      [`/fixtures/${name}.wasm`, log] as const,
    )
    expect(outcome).toMatchObject({ ok: false, name: 'EvaluationTimeoutError' })
    expect(outcome.ok === false && outcome.message).toMatch(/message endless \(nonce 3\) did not finish within 1\.5 s/)
  })
})
