// Per-message time of the hot evaluator and of ao-loader called the CU way, per fixture and
// memory size, over a token log in which about 7% of the messages fail and are rolled back.
// Each run is a fresh Node process (ao-loader replaces a realm's clocks), timed with a clock
// captured before ao-loader loads (evaluatorRun.ts).
// Usage: npm run bench -- evaluators [--quick]   or   tsx bench/evaluatorRate.ts [--quick]
import { formatNumber, markdownTable } from './lib/markdownTable.ts'
import { machineNote, recordResults } from './lib/recordResults.ts'
import { runChild } from './lib/runChild.ts'

const quick = process.argv.includes('--quick')
const runs = [
  { fixture: 'lua-token', ballast: 0 },
  { fixture: 'lua-token', ballast: 32 },
  { fixture: 'lua-token4', ballast: 0 },
  { fixture: 'as-token', ballast: 0 },
  { fixture: 'as-token', ballast: 32 },
]
const counts = { hot: quick ? 200 : 1000, cu: quick ? 30 : 150 }

type Row = { msPerMessage: number; memoryMiB: number; messages: number; errors: number }
function measure(fixture: string, mode: 'hot' | 'cu', ballast: number): Promise<Row> {
  const count = ballast ? Math.ceil(counts[mode] / 3) : counts[mode]
  return runChild<Row>('evaluatorRun.ts', [fixture, mode, String(count), String(ballast)])
}

console.log(machineNote())
const rows: string[][] = []
const results: Record<string, unknown>[] = []
for (const { fixture, ballast } of runs) {
  const hot = await measure(fixture, 'hot', ballast)
  const cu = await measure(fixture, 'cu', ballast)
  const memory = `${hot.memoryMiB.toFixed(1)} MiB${ballast ? ` (Memory-Ballast ${ballast})` : ''}`
  rows.push([fixture, memory, formatNumber(hot.msPerMessage, 2), formatNumber(cu.msPerMessage, 2), `${formatNumber(cu.msPerMessage / hot.msPerMessage, 1)}x`])
  results.push({ fixture, ballastMiB: ballast, memoryMiB: hot.memoryMiB, hotMsPerMessage: hot.msPerMessage, cuMsPerMessage: cu.msPerMessage, cuVsHot: cu.msPerMessage / hot.msPerMessage, hotMessages: hot.messages, cuMessages: cu.messages })
}
console.log(`### Evaluators: ms per message${quick ? ' — quick run' : ''}\n`)
console.log(markdownTable(['fixture', 'memory', 'hot ms/msg', 'CU way ms/msg', 'CU way / hot'], rows))
console.log(`\nmessages per run: hot ${counts.hot}, CU way ${counts.cu} (a third with ballast); about 7% of them fail and are rolled back.`)
console.log(machineNote())
recordResults('evaluators', quick, { runs: results })
