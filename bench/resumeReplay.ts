// Resume: how long a second visit to a fully verified process takes, and what its checkpoints
// cost in IndexedDB. Over a devnet started in this process (state cached in
// .cache/bench-resume/<messages>/) with one lua-token process and one CU:
//   browser  the built app in Debian's Chromium: a first visit replays and verifies everything
//            (keeping checkpoints every 1,000 messages), then each second visit is timed from
//            navigation to "Verified to nonce N" on screen, in fresh tabs of the same profile
//   node     verifyProcess with a store (fake-indexeddb) as a second visit would run it, and
//            the store's bytes per checkpoint: raw memory, gzip, and what each added after
//            chunk dedup
// Goal: second visit < 1 s for 10,000 messages.
// Usage: npm run bench -- resume [--quick]   or   tsx bench/resumeReplay.ts [--quick] [--reseed]
import 'fake-indexeddb/auto'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { launchChromium } from '../e2e/support/launchChromium.ts'
import { serveStatic } from '../e2e/support/serveStatic.ts'
import { loadFixture } from '../processes/loadFixture.ts'
import { spawnNodeWorker } from '../src/eval/node/spawnNodeWorker.ts'
import { fetchLatestNonce } from '../src/net/su.ts'
import { verifyProcess } from '../src/replay/verifyProcess.ts'
import { openStore } from '../src/store/openStore.ts'
import { formatNumber, markdownTable } from './lib/markdownTable.ts'
import { median } from './lib/median.ts'
import { machineNote, recordResults } from './lib/recordResults.ts'
import { seededDevnet } from './lib/seededDevnet.ts'

const quick = process.argv.includes('--quick')
const settings = quick ? { messages: 2_000, visits: 3 } : { messages: 10_000, visits: 5 }
const goalSeconds = 1
/** Pause between the first visit and the second ones. */
const settleSeconds = 10
const policy = { everyMessages: 1000, everySeconds: 30, keepNewest: 3, ladderBase: 1000 }

console.log(machineNote())
const fixture = await loadFixture('lua-token')
const { devnet, seeded, reused } = await seededDevnet({ name: 'resume', fixture, count: settings.messages, reseed: process.argv.includes('--reseed') })
const browser = await launchChromium()
try {
  const { processId } = seeded
  const latest = await fetchLatestNonce(devnet.su.url, processId)
  const cu = devnet.ready.cus[0]!.url

  // The browser: the app as users get it.
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' })
  const server = await serveStatic({ '/': fileURLToPath(new URL('../dist/', import.meta.url)) })
  const context = await browser.newContext()
  const appSettings = { gateway: devnet.gateway.url, su: '', cus: [cu], checkpointEvery: policy.everyMessages, cuWindow: 16 }
  await context.addInitScript((s) => localStorage.setItem('holoscope.settings', s), JSON.stringify(appSettings))
  const visit = async () => {
    const page = await context.newPage()
    try {
      const started = performance.now()
      await page.goto(`${server.url}/#/process/${processId}`)
      await page.getByText(`Verified to nonce ${latest.toLocaleString('en-US')}`).first().waitFor({ timeout: 900_000 })
      const seconds = (performance.now() - started) / 1000
      const evaluated = Number(await page.getByTestId('run-summary').getAttribute('data-evaluated'))
      return { seconds, evaluated }
    } finally {
      await page.close()
    }
  }
  const first = await visit()
  if (first.evaluated !== latest + 1) throw new Error(`the first visit evaluated ${first.evaluated} messages, not ${latest + 1}`)
  // A second visit comes later: the browser first finishes writing what the first one stored.
  await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000))
  const seconds: number[] = []
  for (let i = 0; i < settings.visits; i++) {
    const again = await visit()
    if (again.evaluated !== 0) throw new Error(`a second visit evaluated ${again.evaluated} messages`)
    seconds.push(again.seconds)
  }
  await context.close()
  await server.close()

  // Node: the same store code (fake-indexeddb), its bytes, and a second visit's time.
  const store = await openStore({ name: `bench-resume-${process.pid}`, storage: {} })
  const nodeFirst = performance.now()
  ;(await verifyProcess({ processId, endpoints: { gateway: devnet.gateway.url, cus: [cu] }, spawn: spawnNodeWorker, store, policy })).dispose()
  const nodeFirstSeconds = (performance.now() - nodeFirst) / 1000
  const nodeSecond = performance.now()
  const again = await verifyProcess({ processId, endpoints: { gateway: devnet.gateway.url, cus: [cu] }, spawn: spawnNodeWorker, store, policy })
  const nodeSecondSeconds = (performance.now() - nodeSecond) / 1000
  again.dispose()
  if (again.evaluated !== 0) throw new Error(`Node's second visit evaluated ${again.evaluated} messages`)
  const usage = await store.usage()
  store.close()
  const checkpoints = usage.checkpoints
  const sum = (key: 'raw' | 'gzip' | 'dedup') => checkpoints.reduce((total, c) => total + c[key], 0)
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`

  const secondVisit = median(seconds)
  console.log(`### Resume: a second visit to a verified process${quick ? ' — quick run' : ''}\n`)
  console.log(
    markdownTable(
      ['messages', 'first visit (replay + verify)', 'second visit, browser (median)', 'second visits, browser', 'second visit, Node', 'checkpoints kept', 'per checkpoint: raw', 'gzip', 'added after dedup'],
      [
        [
          formatNumber(latest + 1),
          `${first.seconds.toFixed(1)} s`,
          `${secondVisit.toFixed(2)} s`,
          seconds.map((s) => s.toFixed(2)).join(', '),
          `${nodeSecondSeconds.toFixed(2)} s`,
          String(checkpoints.length),
          mib(sum('raw') / checkpoints.length),
          mib(sum('gzip') / checkpoints.length),
          mib(sum('dedup') / checkpoints.length),
        ],
      ],
    ),
  )
  console.log(
    `\nlua-token process with ${formatNumber(latest + 1)} messages, one CU (devnet, same machine), checkpoints every ${policy.everyMessages} messages and at the end` +
      ` (kept: the newest ${policy.keepNewest} and a ladder). Browser: the built app in Chromium, timed from navigation to the verdict on screen, each visit` +
      ` in a fresh tab of one profile, the first ${settleSeconds} s after the first visit ended; it asks the SU for the latest nonce (where the SU is and the process come from the store)` +
      ` and reads the stored checkpoint and verdicts; the CU's checkpoints are listed meanwhile but not waited for, as every verdict stands; the worker then starts, takes the checkpoint and computes the balances (not timed). Bytes are the store's own count in Node (the same code as the browser's).` +
      ` Node's first visit took ${nodeFirstSeconds.toFixed(1)} s. Seeding (not timed) ${reused ? `was reused from .cache/bench-resume/ (it took ${seeded.seedSeconds.toFixed(0)} s)` : `took ${seeded.seedSeconds.toFixed(0)} s (kept in .cache/bench-resume/)`}.`,
  )
  console.log(`Goal: second visit < ${goalSeconds} s: ${secondVisit < goalSeconds ? 'met' : `MISSED (${secondVisit.toFixed(2)} s)`}.`)
  console.log(machineNote())
  recordResults('resume', quick, {
    fixture: 'lua-token',
    messages: latest + 1,
    firstVisitSeconds: first.seconds,
    secondVisitSeconds: secondVisit,
    secondVisitRuns: seconds,
    node: { firstVisitSeconds: nodeFirstSeconds, secondVisitSeconds: nodeSecondSeconds },
    checkpoints: checkpoints.length,
    bytesPerCheckpoint: { raw: sum('raw') / checkpoints.length, gzip: sum('gzip') / checkpoints.length, dedup: sum('dedup') / checkpoints.length },
    storeBytes: usage.bytes,
    goal: { secondVisitSeconds: goalSeconds, met: secondVisit < goalSeconds },
    seedSeconds: seeded.seedSeconds,
    seedReused: reused,
  })
} finally {
  await browser.close()
  await devnet.stop()
}
