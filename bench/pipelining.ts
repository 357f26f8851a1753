// Pipelining: does verifying a process overlap fetching its log with evaluating it? Over a devnet
// started in this process (free ports; its state kept under .cache/) whose SU answers every log page
// `pageLatencyMs` late, a lua-token process with a few thousand messages is timed three ways:
//   fetch     streamLog from src/net/su.ts consuming every page (hash chain checked)
//   evaluate  the messages fetched beforehand, then a Node worker evaluator (started and
//             loaded inside the timing, as verifyProcess does) replaying them one by one
//   verify    verifyProcess (src/replay/verifyProcess.ts) with no CU, Node worker spawn, as
//             `holoscope verify` runs it: process, module, latest nonce, then pages + replay
// Goal: verify ≤ 1.2x max(fetch, evaluate). Seeding (signed messages posted straight to the SU,
// not through the MU, whose CU would evaluate every message) is not timed, and its devnet state
// is kept in .cache/bench-pipelining/<messages>/ for the next run (`--reseed` seeds again).
// Usage: npm run bench -- pipelining [--quick]   or   tsx bench/pipelining.ts [--quick] [--reseed]
import { loadFixture } from '../processes/loadFixture.ts'
import { toAoEnv } from '../src/core/message/toAoEnv.ts'
import { toAoMessage } from '../src/core/message/toAoMessage.ts'
import type { AoMessage } from '../src/core/message/types.ts'
import { moduleOptionsFromTags } from '../src/core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../src/eval/createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../src/eval/node/spawnNodeWorker.ts'
import { fetchData, fetchTransactionMeta } from '../src/net/gateway.ts'
import { fetchLatestNonce, fetchSuProcess, streamLog } from '../src/net/su.ts'
import { verifyProcess } from '../src/replay/verifyProcess.ts'
import { formatNumber, markdownTable } from './lib/markdownTable.ts'
import { median } from './lib/median.ts'
import { machineNote, recordResults } from './lib/recordResults.ts'
import { seededDevnet } from './lib/seededDevnet.ts'

const quick = process.argv.includes('--quick')
const settings = quick ? { messages: 500, repeats: 1 } : { messages: 3_000, repeats: 3 }
const pageLatencyMs = 100
const goal = 1.2
const fixtureName = 'lua-token'

console.log(machineNote())
const fixture = await loadFixture(fixtureName)
const { devnet, seeded, reused } = await seededDevnet({ name: 'pipelining', fixture, count: settings.messages, reseed: process.argv.includes('--reseed'), suPageLatencyMs: pageLatencyMs })
try {
  const { processId, seedSeconds } = seeded
  const su = devnet.su.url
  const gateway = devnet.gateway.url

  // Prefetched for evaluate-only (not timed): the process, its module and every message.
  const process_ = await fetchSuProcess(su, processId)
  const moduleId = process_.tags.find((t) => t.name === 'Module')!.value
  const [moduleMeta, wasm] = await Promise.all([fetchTransactionMeta(gateway, moduleId), fetchData(gateway, moduleId)])
  const env = toAoEnv(process_, { id: moduleId, owner: moduleMeta.owner, tags: moduleMeta.tags })
  const moduleOptions = moduleOptionsFromTags(moduleMeta.tags, process_.tags)
  const latest = await fetchLatestNonce(su, processId)
  const messages: AoMessage[] = []
  for await (const page of streamLog(su, processId, { toNonce: latest })) messages.push(...page.map((node) => toAoMessage(node)))

  const fetchOnly = async () => {
    const started = performance.now()
    const target = await fetchLatestNonce(su, processId)
    let count = 0
    for await (const page of streamLog(su, processId, { toNonce: target })) count += page.length
    if (count !== latest + 1) throw new Error(`fetched ${count} messages, expected ${latest + 1}`)
    return { seconds: (performance.now() - started) / 1000 }
  }
  const evaluateOnly = async () => {
    const started = performance.now()
    const evaluator = await createWorkerEvaluator(spawnNodeWorker, wasm, moduleOptions)
    const loadSeconds = (performance.now() - started) / 1000
    try {
      // In runs of 64, sent ahead to the worker, as verifyProcess evaluates.
      for (let i = 0; i < messages.length; i += 64) await evaluator.evaluate(messages.slice(i, i + 64), env)
    } finally {
      evaluator.terminate()
    }
    return { seconds: (performance.now() - started) / 1000, loadSeconds }
  }
  const verify = async () => {
    const started = performance.now()
    let loaded = 0
    let firstResult = 0
    const verification = await verifyProcess({
      processId,
      endpoints: { gateway, su, cus: [] },
      spawn: spawnNodeWorker,
      onLoaded: () => (loaded = performance.now()),
      onProgress: ({ evaluated }) => {
        if (evaluated > 0 && !firstResult) firstResult = performance.now()
      },
    })
    const seconds = (performance.now() - started) / 1000
    verification.dispose()
    if (verification.reached !== latest) throw new Error(`verifyProcess reached nonce ${verification.reached}, expected ${latest}`)
    return { seconds, loadedSeconds: (loaded - started) / 1000, firstResultSeconds: (firstResult - started) / 1000 }
  }

  const runs = { fetch: [] as number[], evaluate: [] as number[], load: [] as number[], verify: [] as number[], verifyLoaded: [] as number[], verifyFirstResult: [] as number[] }
  for (let i = 0; i < settings.repeats; i++) {
    runs.fetch.push((await fetchOnly()).seconds)
    const evaluated = await evaluateOnly()
    runs.evaluate.push(evaluated.seconds)
    runs.load.push(evaluated.loadSeconds)
    const verified = await verify()
    runs.verify.push(verified.seconds)
    runs.verifyLoaded.push(verified.loadedSeconds)
    runs.verifyFirstResult.push(verified.firstResultSeconds)
  }
  const fetch = median(runs.fetch)
  const evaluate = median(runs.evaluate)
  const total = median(runs.verify)
  const ratio = total / Math.max(fetch, evaluate)
  const pages = Math.ceil((latest + 1) / 100)

  console.log(`### Pipelining: verifyProcess vs its parts${quick ? ' — quick run' : ''}\n`)
  console.log(
    markdownTable(
      ['messages', 'SU page latency', 'fetch only (s)', 'evaluate only (s)', 'verify (s)', 'verify / max(fetch, evaluate)', 'verify / (fetch + evaluate)'],
      [[formatNumber(latest + 1), `${pageLatencyMs} ms × ${pages} pages`, fetch.toFixed(2), evaluate.toFixed(2), total.toFixed(2), `${ratio.toFixed(2)}x`, `${(total / (fetch + evaluate)).toFixed(2)}`]],
    ),
  )
  console.log(
    `\n${fixtureName} process (16 MiB memory) with ${formatNumber(latest + 1)} messages (transfers, queries, mints, burns, ~5% failing and rolled back), 100 per page;` +
      ` medians of ${settings.repeats} run${settings.repeats > 1 ? 's' : ''}. Evaluate only includes starting the worker and loading the module` +
      ` (${median(runs.load).toFixed(2)} s), as verify does; verify also fetches the process, the module and the latest nonce, and had those` +
      ` (onLoaded) after ${median(runs.verifyLoaded).toFixed(2)} s, its first results after ${median(runs.verifyFirstResult).toFixed(2)} s. SU, gateway and client share this` +
      ` process. Seeding (not timed) ${reused ? `was reused from .cache/bench-pipelining/ (it took ${seedSeconds.toFixed(1)} s)` : `took ${seedSeconds.toFixed(1)} s (kept in .cache/bench-pipelining/ for the next run)`}.`,
  )
  console.log(`Goal: verify ≤ ${goal}x max(fetch, evaluate): ${ratio <= goal ? 'met' : `MISSED by ${((ratio / goal - 1) * 100).toFixed(0)}%`} (${ratio.toFixed(2)}x).`)
  console.log(machineNote())
  recordResults('pipelining', quick, {
    fixture: fixtureName,
    messages: latest + 1,
    pageSize: 100,
    pageLatencyMs,
    seconds: { fetch, evaluate, verify: total, workerStart: median(runs.load), verifyLoaded: median(runs.verifyLoaded), verifyFirstResult: median(runs.verifyFirstResult) },
    runs,
    verifyVsMaxPart: ratio,
    verifyVsSumOfParts: total / (fetch + evaluate),
    goal: { verifyVsMaxPart: goal, met: ratio <= goal },
    seedSeconds,
    seedReused: reused,
  })
} finally {
  await devnet.stop()
}
