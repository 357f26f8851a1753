#!/usr/bin/env node
// Builds every fixture process in processes/<name>/ (each has a build.mjs) into
// processes/build/, skipping a fixture whose sources have not changed since its last build.
// A fixture that also builds from another folder names it in its inputs.txt (one per line).
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const processesDir = join(root, 'processes')
const buildDir = join(processesDir, 'build')
mkdirSync(buildDir, { recursive: true })

/** Every source file below dir, sorted: not build output, tests or docs, which build nothing. */
function listFiles(dir) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'build') out.push(...listFiles(path))
    } else if (!/\.test\.ts$|\.md$/.test(entry.name)) out.push(path)
  }
  return out.sort()
}

/** A hash of a fixture's sources: its folder, plus the folders its `inputs.txt` names. */
function inputsHash(dir) {
  const hash = createHash('sha256')
  const extra = join(dir, 'inputs.txt')
  const dirs = [dir, ...(existsSync(extra) ? readFileSync(extra, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean).map((l) => join(dir, l)) : [])]
  for (const base of dirs) {
    for (const file of listFiles(base)) {
      hash.update(relative(processesDir, file)).update('\0').update(readFileSync(file)).update('\0')
    }
  }
  return hash.digest('hex')
}

const only = process.argv.slice(2)
const fixtures = readdirSync(processesDir).filter(
  (name) => existsSync(join(processesDir, name, 'build.mjs')) && (only.length === 0 || only.includes(name)),
)
let failed = false
for (const name of fixtures) {
  const dir = join(processesDir, name)
  const stamp = join(buildDir, `${name}.inputs`)
  const hash = inputsHash(dir)
  const outputs = [join(buildDir, `${name}.wasm`), join(buildDir, `${name}.json`)]
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && outputs.every((f) => existsSync(f) && statSync(f).size > 0)) {
    console.log(`fixture ${name}: up to date`)
    continue
  }
  console.log(`fixture ${name}: building…`)
  const started = performance.now()
  const run = spawnSync(process.execPath, [join(dir, 'build.mjs')], { cwd: root, stdio: 'inherit' })
  if (run.status !== 0) {
    console.error(`fixture ${name}: build failed (exit ${run.status}); see the output above`)
    failed = true
    continue
  }
  writeFileSync(stamp, hash)
  console.log(`fixture ${name}: built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}
process.exit(failed ? 1 : 0)
