// Per-message time of the hot evaluator and of ao-loader called the CU way, per fixture and
// memory size. Each run is a fresh Node process (ao-loader replaces a realm's clocks), timed
// with a clock captured before ao-loader loads. Usage: npm run bench [-- --quick]
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const quick = process.argv.includes('--quick')
const runs = [
  { fixture: 'lua-token', ballast: 0 },
  { fixture: 'lua-token', ballast: 32 },
  { fixture: 'lua-token4', ballast: 0 },
  { fixture: 'as-token', ballast: 0 },
  { fixture: 'as-token', ballast: 32 },
]
const counts = { hot: quick ? 200 : 1000, cu: quick ? 30 : 150 }
const child = fileURLToPath(new URL('./evaluatorRun.ts', import.meta.url))

type Row = { msPerMessage: number; memoryMiB: number; messages: number; errors: number }
function measure(fixture: string, mode: 'hot' | 'cu', ballast: number): Row {
  const count = ballast ? Math.ceil(counts[mode] / 3) : counts[mode]
  const run = spawnSync(process.execPath, ['--import', 'tsx', child, fixture, mode, String(count), String(ballast)], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`${fixture} ${mode}: ${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Row
}

console.log('| fixture | memory | hot ms/msg | CU way ms/msg | CU way / hot |')
console.log('|---|---|---|---|---|')
for (const { fixture, ballast } of runs) {
  const hot = measure(fixture, 'hot', ballast)
  const cu = measure(fixture, 'cu', ballast)
  const memory = `${hot.memoryMiB.toFixed(1)} MiB${ballast ? ` (Memory-Ballast ${ballast})` : ''}`
  console.log(`| ${fixture} | ${memory} | ${hot.msPerMessage.toFixed(2)} | ${cu.msPerMessage.toFixed(2)} | ${(cu.msPerMessage / hot.msPerMessage).toFixed(1)}x |`)
}
console.log(`\nmessages per run: hot ${counts.hot}, CU way ${counts.cu} (a third with ballast); about 7% of them fail and are rolled back.`)
