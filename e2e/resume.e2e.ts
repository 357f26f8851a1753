import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'vite'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../devnet/seed.ts'
import type { Devnet } from '../devnet/startDevnet.ts'
import { startTestDevnet } from '../devnet/testing.ts'
import { launchChromium } from './support/launchChromium.ts'
import { serveStatic } from './support/serveStatic.ts'

// The built app keeps checkpoints in IndexedDB: a reload mid-replay resumes from the newest
// one, and a second visit shows the verdict without replaying. The CU answers each result
// after 400 ms and the app asks for 2 at a time, so a replay of 31 messages lasts seconds.
// The devnet is only read; each test opens a browser profile of its own (its own IndexedDB).
let browser: Browser
let server: Awaited<ReturnType<typeof serveStatic>>
let devnet: Devnet
let processId: string
let latestNonce: number

beforeAll(async () => {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' })
  server = await serveStatic({ '/': fileURLToPath(new URL('../dist/', import.meta.url)) })
  browser = await launchChromium()
  devnet = await startTestDevnet({ cus: 1, cuFaults: [{ delayMs: 400 }] })
  const users = [devnet.wallets['user-0']!, devnet.wallets['user-1']!]
  const seed: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users }
  const [module] = await deployModules(seed, ['lua-token'])
  processId = await spawnProcess(seed, seed.deployer, module!.id, 'resume token')
  for (let i = 0; i < 30; i++) {
    await sendMessage(seed, seed.deployer, processId, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: users[i % 2]!.address }, { name: 'Quantity', value: String(500 + i) }])
  }
  await devnet.mu.idle()
  const latest = (await (await fetch(`${devnet.ready.su}/${processId}/latest`)).json()) as { assignment: { tags: { name: string; value: string }[] } }
  latestNonce = Number(latest.assignment.tags.find((t) => t.name === 'Nonce')!.value)
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await devnet?.stop()
})

/**
 * A fresh browser profile set up for the devnet: its pages share IndexedDB, as the tabs of one
 * profile do, and no other test's checkpoints are in it.
 */
async function newProfile(): Promise<BrowserContext> {
  const profile = await browser.newContext()
  const settings = { gateway: devnet.ready.gateway, su: '', cus: [devnet.ready.cus[0]!.url], checkpointEvery: 5, cuWindow: 2 }
  await profile.addInitScript((s) => localStorage.setItem('holoscope.settings', s), JSON.stringify(settings))
  return profile
}

/** The run summary's numbers once the verdict is on screen. */
async function finished(page: Page): Promise<{ evaluated: number; start: number }> {
  await page.getByText(`Verified to nonce ${latestNonce}`).first().waitFor({ timeout: 120_000 })
  const summary = page.getByTestId('run-summary')
  return { evaluated: Number(await summary.getAttribute('data-evaluated')), start: Number(await summary.getAttribute('data-start')) }
}

describe('checkpoints in the browser', () => {
  it('resumes a replay reloaded midway from its newest checkpoint, with the same verdict', async () => {
    const profile = await newProfile()
    const page = await profile.newPage()
    try {
      await page.goto(`${server.url}/#/process/${processId}`)
      const bar = page.getByRole('progressbar')
      await bar.waitFor({ timeout: 60_000 })
      // Wait until 12 messages (nonces 0 to 11: checkpoints after nonces 4 and 9) are evaluated, then reload.
      for (let evaluated = 0; evaluated < 12; ) {
        await page.waitForTimeout(50)
        evaluated = Number((await bar.getAttribute('aria-valuenow').catch(() => '0')) ?? 0)
      }
      expect(await page.getByText(`Verified to nonce ${latestNonce}`).count()).toBe(0)
      await page.reload()
      const resumed = await finished(page)
      expect(resumed.start).toBeGreaterThanOrEqual(9)
      expect(resumed.evaluated).toBe(latestNonce - resumed.start)
      expect(resumed.evaluated).toBeLessThan(latestNonce + 1)
      expect(await page.getByText('from a checkpoint kept in this browser').count()).toBeGreaterThan(0)
    } finally {
      await profile.close()
    }
  })

  it('shows the verdict and balances of a fully replayed process on a second visit without replaying', async () => {
    const profile = await newProfile()
    try {
      // The first visit replays the whole log and keeps its checkpoints.
      const first = await profile.newPage()
      await first.goto(`${server.url}/#/process/${processId}`)
      await finished(first)
      await first.close()
      const page = await profile.newPage()
      await page.goto(`${server.url}/#/process/${processId}`)
      const visit = await finished(page)
      expect(visit).toEqual({ evaluated: 0, start: latestNonce })
      await page.locator('.balances tbody tr').first().waitFor()
      expect(await page.locator('.balances tbody tr').count()).toBeGreaterThan(1)
      // Settings shows what is stored, and deleting it means the next visit replays from nonce 0.
      await page.goto(`${server.url}/#/settings`)
      await page.getByText(/Stored in this browser: .* \([1-9]\d* checkpoints\)/).waitFor()
      await page.getByRole('button', { name: 'Delete stored data' }).click()
      await page.getByText('Stored in this browser: 0 B (0 checkpoints)').waitFor()
      await page.goto(`${server.url}/#/process/${processId}`)
      const again = await finished(page)
      expect(again).toEqual({ evaluated: latestNonce + 1, start: 0 })
    } finally {
      await profile.close()
    }
  })
})
