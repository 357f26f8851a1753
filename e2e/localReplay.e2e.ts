import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'vite'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { loadFixture } from '../processes/loadFixture.ts'
import { generateTokenLog, type LocalLog } from '../processes/tokenLog.ts'
import { moduleOptionsFromTags } from '../src/core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../src/eval/createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../src/eval/node/spawnNodeWorker.ts'
import { aosReferenceLog, loadAosCuReference } from '../src/eval/reference/aosCuReference.ts'
import { launchChromium } from './support/launchChromium.ts'
import { serveStatic } from './support/serveStatic.ts'

// The real built app (vite build of index.html), served statically, in Debian's Chromium.
let browser: Browser
let server: Awaited<ReturnType<typeof serveStatic>>

beforeAll(async () => {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' })
  server = await serveStatic({ '/': fileURLToPath(new URL('../dist/', import.meta.url)) })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function openApp(): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`${server.url}/#/local`)
  await page.getByRole('heading', { name: 'Replay a local module' }).waitFor()
  return page
}

async function choose(page: Page, wasm: Uint8Array, log: LocalLog | string) {
  await page.setInputFiles('input[name=module]', { name: 'module.wasm', mimeType: 'application/wasm', buffer: Buffer.from(wasm) })
  await page.setInputFiles('input[name=log]', { name: 'log.json', mimeType: 'application/json', buffer: Buffer.from(typeof log === 'string' ? log : JSON.stringify(log)) })
}

describe.each(['lua-token', 'as-token'])('the app replays a local %s module', (name) => {
  it('shows every message and the memory SHA-256 Node computes', async () => {
    const fixture = await loadFixture(name)
    const log = generateTokenLog({ moduleTags: fixture.tags, count: 120, seed: 5 })
    const page = await openApp()
    await choose(page, fixture.wasm, log)
    await page.getByRole('button', { name: 'Replay' }).click()
    const shown = await page.getByTestId('memory-sha256').textContent({ timeout: 120_000 })
    const evaluator = await createWorkerEvaluator(spawnNodeWorker, fixture.wasm, moduleOptionsFromTags(fixture.tags))
    try {
      const steps = await evaluator.evaluate(log.messages, { Process: log.process, Module: log.module })
      expect(shown).toBe((await evaluator.digest()).sha256)
      const errors = steps.filter((s) => s.result.Error !== undefined).length
      expect(await page.getByText(new RegExp(`Replayed ${log.messages.length} messages \\(${errors} with Error\\)`)).count()).toBe(1)
    } finally {
      evaluator.terminate()
      await page.close()
    }
  })
})

// Real aos modules, against ao-loader called the CU way in a Node worker (recorded: about a second
// per message at aos's memory size; src/eval/reference/).
describe.each(['aos-2.0.6', 'aos-2.0.4-32'])('the app replays the real %s module', (name) => {
  it('shows every message and the final memory SHA-256 of Node\'s CU way', async () => {
    const fixture = await loadFixture(name)
    const log = aosReferenceLog(fixture)
    const reference = await loadAosCuReference(fixture, log)
    const last = reference.memory[log.messages[log.messages.length - 1]!.Nonce!]!
    const page = await openApp()
    try {
      await choose(page, fixture.wasm, log)
      await page.getByRole('button', { name: 'Replay' }).click()
      expect(await page.getByTestId('memory-sha256').textContent({ timeout: 240_000 })).toBe(last.sha256)
      const done = await page.getByText(/^Replayed /).textContent()
      expect(done).toMatch(new RegExp(`Replayed ${log.messages.length} messages \\(${reference.errors.length} with Error\\)`))
      expect(done).toContain(`Memory: ${last.length.toLocaleString('en-US')} bytes`)
    } finally {
      await page.close()
    }
  })
})

describe('the app in a browser whose memories cannot grow', () => {
  it('stops a wasm64 replay with an alert naming the memory growth and what to do, not results with Error', async () => {
    const fixture = await loadFixture('aos-2.0.6')
    const page = await browser.newPage()
    // The app's own evaluator worker, in a host where every memory grow throws a TypeError (as an
    // i64 memory's grow does in Chromium when handed the Number ao-loader's wasm64 glue passes).
    await page.route(/\/assets\/evaluator\.worker-[^/]*\.js$/, async (route) => {
      const response = await route.fetch()
      const patch = `{ const grow = WebAssembly.Memory.prototype.grow; WebAssembly.Memory.prototype.grow = function (delta) { if (Number(delta) > 0) throw new TypeError('Cannot convert ' + String(delta) + ' to a BigInt'); return grow.call(this, delta) } }\n`
      await route.fulfill({ response, body: patch + (await response.text()) })
    })
    try {
      await page.goto(`${server.url}/#/local`)
      await page.getByRole('heading', { name: 'Replay a local module' }).waitFor()
      await choose(page, fixture.wasm, aosReferenceLog(fixture))
      await page.getByRole('button', { name: 'Replay' }).click()
      const alert = await page.getByRole('alert').textContent({ timeout: 120_000 })
      expect(alert).toMatch(/This browser could not grow the module's wasm64-unknown-emscripten-draft_2024_02_15 memory \(TypeError: Cannot convert \d+ to a BigInt\)/)
      expect(alert).toMatch(/replay it in a current Chromium or Firefox, or with the command line/)
      expect(await page.getByText(/^Replayed /).count()).toBe(0)
    } finally {
      await page.close()
    }
  })
})

describe('the app with bad input', () => {
  it('explains a log that is not a Holoscope log, without a stack trace', async () => {
    const fixture = await loadFixture('as-token')
    const page = await openApp()
    await choose(page, fixture.wasm, '{"process": {}}')
    await page.getByRole('button', { name: 'Replay' }).click()
    const alert = page.getByRole('alert')
    await expect(alert.textContent()).resolves.toMatch(/log\.json is not a Holoscope log: "process" needs string Id and Owner/)
    expect(await alert.textContent()).not.toMatch(/\bat \S+:\d+/)
    await page.close()
  })

  it('explains module bytes that are not WebAssembly', async () => {
    const fixture = await loadFixture('lua-token')
    const page = await openApp()
    await choose(page, new TextEncoder().encode('<html>Not found</html>'), generateTokenLog({ moduleTags: fixture.tags, count: 2 }))
    await page.getByRole('button', { name: 'Replay' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/not a valid wasm32-unknown-emscripten2 WebAssembly module.*check the id/s)
    await page.close()
  })

  it('cancels a replay stuck on an endless message', async () => {
    const fixture = await loadFixture('as-token')
    const log = generateTokenLog({ moduleTags: fixture.tags, count: 3, failures: false })
    log.messages.push({ ...log.messages[1]!, Id: 'endless', Nonce: 4, Tags: [{ name: 'Action', value: 'Spin' }] })
    const page = await openApp()
    await choose(page, fixture.wasm, log)
    await page.getByRole('button', { name: 'Replay' }).click()
    await page.locator('[role=progressbar][aria-valuenow="4"]').waitFor()
    await page.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByText(/Cancelled after \d+ messages/).textContent()).resolves.toMatch(/Cancelled after 4 messages/)
    await page.close()
  })
})
