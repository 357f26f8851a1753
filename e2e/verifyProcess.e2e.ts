import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'vite'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../devnet/seed.ts'
import type { Devnet } from '../devnet/startDevnet.ts'
import { startTestDevnet } from '../devnet/testing.ts'
import { launchChromium } from './support/launchChromium.ts'
import { serveStatic } from './support/serveStatic.ts'
import { waitForText } from './support/waitForText.ts'

// The built app in Debian's Chromium against a devnet with an honest CU and a CU that lies
// from nonce `lieFrom` on.
const lieFrom = 17
let browser: Browser
let server: Awaited<ReturnType<typeof serveStatic>>
let devnet: Devnet
let processId: string
let latestNonce: number
let moduleId: string

beforeAll(async () => {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' })
  server = await serveStatic({ '/': fileURLToPath(new URL('../dist/', import.meta.url)) })
  browser = await launchChromium()
  devnet = await startTestDevnet({ cus: 2, cuFaults: [undefined, { lieFrom, lies: ['output'] }] })
  const users = [devnet.wallets['user-0']!, devnet.wallets['user-1']!, devnet.wallets['user-2']!]
  const context: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users }
  const [module] = await deployModules(context, ['lua-token'])
  moduleId = module!.id
  processId = await spawnProcess(context, context.deployer, moduleId, 'e2e token')
  for (let i = 0; i < 30; i++) {
    const from = i < 3 ? context.deployer : users[i % 3]!
    const tags = i === 9 ? [{ name: 'Action', value: 'Fail' }] : [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: users[(i + 1) % 3]!.address }, { name: 'Quantity', value: String(1000 + i) }]
    await sendMessage(context, from, processId, tags)
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

async function openProcess(cu: string): Promise<Page> {
  const page = await browser.newPage()
  const settings = { gateway: devnet.ready.gateway, su: '', cus: [cu], checkpointEvery: 10, cuWindow: 16 }
  await page.addInitScript((s) => localStorage.setItem('holoscope.settings', s), JSON.stringify(settings))
  await page.goto(`${server.url}/#/process/${processId}`)
  return page
}

describe('the app verifies a process against devnet', () => {
  it('shows "Verified to nonce N" against an honest CU, and balances equal to the CU\'s dry-run', async () => {
    const page = await openProcess(devnet.ready.cus[0]!.url)
    try {
      await waitForText(page, `Verified to nonce ${latestNonce}`)
      const rows = await page.locator('.balances tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-account'), tr.getAttribute('data-balance')]))
      const res = await fetch(`${devnet.ready.cus[0]!.url}/dry-run?process-id=${processId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Owner: '1234', Tags: [{ name: 'Action', value: 'Balances' }] }),
      })
      const theirs = JSON.parse(((await res.json()) as { Messages: { Data: string }[] }).Messages[0]!.Data) as Record<string, string>
      expect(Object.fromEntries(rows)).toEqual(theirs)
      expect(rows.length).toBeGreaterThan(2)
      // Looking one address up shows its balance.
      const [account, balance] = rows[0]!
      await page.getByPlaceholder('wallet address').fill(account!)
      expect((await page.getByTestId('lookup-balance').textContent())?.replace(/\D/g, '')).toContain(BigInt(balance!).toString())
      // Verifying again replays again but takes the module from the cache: no request names it.
      const requested: string[] = []
      page.on('request', (request) => requested.push(request.url()))
      await page.getByRole('button', { name: 'Verify again' }).click()
      await waitForText(page, `Verified to nonce ${latestNonce}`)
      expect(requested.some((url) => url.includes(`/${processId}`))).toBe(true)
      expect(requested.filter((url) => url.includes(moduleId))).toEqual([])
    } finally {
      await page.close()
    }
  })

  it(`shows "Diverged at nonce ${lieFrom}" with the field and both values against a lying CU`, async () => {
    const page = await openProcess(devnet.ready.cus[1]!.url)
    try {
      await waitForText(page, `Diverged at nonce ${lieFrom}`)
      expect(await page.locator('.verdict .field').textContent()).toBe('Output')
      const local = await page.getByTestId('local-value').textContent()
      const remote = await page.getByTestId('remote-value').textContent()
      expect(remote).not.toBe(local)
      expect(remote).toContain('altered')
    } finally {
      await page.close()
    }
  })

  it('shows in Settings whether each saved endpoint answers', async () => {
    const page = await openProcess('http://127.0.0.1:1')
    try {
      await page.goto(`${server.url}/#/settings`)
      await waitForText(page, `✓ ${devnet.ready.gateway} answers`)
      await waitForText(page, 'http://127.0.0.1:1 does not answer')
    } finally {
      await page.close()
    }
  })

  it('refuses a malformed process id on the home page with a clear message', async () => {
    const page = await browser.newPage()
    try {
      await page.goto(`${server.url}/#/`)
      await page.getByLabel('Process id').fill('not-an-id')
      await page.getByRole('button', { name: 'Verify' }).click()
      expect(await page.getByRole('alert').textContent()).toContain('is not a process id')
      expect(page.url()).not.toContain('#/process/')
    } finally {
      await page.close()
    }
  })
})
