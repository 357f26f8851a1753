// `npm run bench [-- [--quick] [NAME...]]`: runs the benchmarks (all, or those named), each in its
// own Node process, one after the other. Each prints a markdown table and merges its numbers
// into bench/results.json; this adds the wall time of each. Exit code 1 when one failed.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { formatNumber, markdownTable } from './lib/markdownTable.ts'

type Benchmark = { name: string; file: string; about: string } | { name: string; pending: string; about: string }

const benchmarks: Benchmark[] = [
  { name: 'replay', file: 'replayRate.ts', about: 'messages/second: browser worker, CLI, the CU way, the hot limit' },
  { name: 'resume', file: 'resumeReplay.ts', about: 'second visit to a verified process: time to the verdict on screen, IndexedDB bytes per checkpoint' },
  { name: 'pipelining', file: 'pipelining.ts', about: 'verifyProcess vs fetch-only vs evaluate-only, SU answering each page late' },
  { name: 'memory', file: 'workerMemory.ts', about: 'peak worker memory of an aos-size (~120 MiB) replay, in copies of the memory' },
  { name: 'evaluators', file: 'evaluatorRate.ts', about: 'ms per message of the hot evaluator and the CU way, per fixture and memory size' },
]

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const names = args.filter((a) => !a.startsWith('--'))
if (args.includes('--help') || args.includes('-h')) {
  console.log('npm run bench [-- [--quick] [NAME...]]\n')
  console.log(markdownTable(['name', 'measures'], benchmarks.map((b) => [b.name, 'pending' in b ? `${b.about} — ${b.pending}` : b.about])))
  process.exit(0)
}
const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n))
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}: choose from ${benchmarks.map((b) => b.name).join(', ')}`)
  process.exit(2)
}

const summary: string[][] = []
let failed = false
for (const benchmark of benchmarks.filter((b) => !names.length || names.includes(b.name))) {
  if ('pending' in benchmark) {
    console.log(`\n## ${benchmark.name}: not yet — ${benchmark.pending}`)
    summary.push([benchmark.name, 'pending', '—'])
    continue
  }
  console.log(`\n## ${benchmark.name}${quick ? ' (quick)' : ''}\n`)
  const started = performance.now()
  const code = await run(benchmark.file)
  const seconds = (performance.now() - started) / 1000
  console.log(`\nwall time: ${formatNumber(seconds, 1)} s`)
  summary.push([benchmark.name, code === 0 ? 'ok' : `failed (exit ${code})`, formatNumber(seconds, 1)])
  if (code !== 0) failed = true
}
console.log(`\n## Summary${quick ? ' (quick)' : ''}\n`)
console.log(markdownTable(['benchmark', 'status', 'wall time (s)'], summary))
process.exit(failed ? 1 : 0)

function run(file: string): Promise<number | null> {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...(quick ? ['--quick'] : [])], { stdio: 'inherit' })
  return new Promise((resolve) => {
    child.on('close', resolve)
    child.on('error', () => resolve(null))
  })
}
