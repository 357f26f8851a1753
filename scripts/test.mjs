#!/usr/bin/env node
// `npm test`: typecheck, lint, unit and integration tests, the app build, then end-to-end tests
// in Debian's Chromium; ends with one line of totals. Stops at the first failing step.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'

mkdirSync('.cache', { recursive: true })
const steps = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  // Workers compile against the WebWorker lib, the app against DOM.
  ['typecheck workers', 'npx', ['tsc', '-p', 'workers/tsconfig.json', '--noEmit']],
  ['lint', 'npx', ['eslint', '.']],
  ['import cycles', 'node', ['scripts/import-cycles.mjs']],
  ['unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.cache/unit.json']],
  ['build', 'npx', ['vite', 'build', '--logLevel', 'warn']],
  ['e2e', 'npx', ['vitest', 'run', '--config', 'e2e/vitest.config.ts', '--reporter=default', '--reporter=json', '--outputFile.json=.cache/e2e.json']],
]
const totals = { passed: 0, failed: 0, skipped: 0 }
let failedStep
for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}`)
  const started = performance.now()
  const run = spawnSync(command, args, { stdio: 'inherit' })
  const report = `.cache/${name}.json`
  if ((name === 'unit' || name === 'e2e') && existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'))
    totals.passed += json.numPassedTests
    totals.failed += json.numFailedTests
    totals.skipped += json.numPendingTests + (json.numTodoTests ?? 0)
  }
  console.log(`◀ ${name}: ${run.status === 0 ? 'ok' : `failed (exit ${run.status})`} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  if (run.status !== 0) {
    failedStep = name
    if (totals.failed === 0) totals.failed = 1
    break
  }
}
if (failedStep) console.log(`\nthe ${failedStep} step failed`)
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`)
process.exit(failedStep ? 1 : 0)
