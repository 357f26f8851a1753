#!/usr/bin/env node
// Compiles assembly/index.ts with asc into processes/build/as-token.wasm and writes the module
// tags a deploy should carry to processes/build/as-token.json (ABI: see README.md).
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import asc from 'assemblyscript/asc'

const here = fileURLToPath(new URL('.', import.meta.url))
const buildDir = join(here, '..', 'build')
const wasmPath = join(buildDir, 'as-token.wasm')
const format = 'wasm32-unknown-assemblyscript'
mkdirSync(buildDir, { recursive: true })

const { error, stderr } = await asc.main([
  join(here, 'assembly', 'index.ts'),
  '--outFile', wasmPath,
  '--optimizeLevel', '3',
  '--shrinkLevel', '0',
  '--runtime', 'incremental',
  '--exportRuntime',
  '--importMemory',
])
if (error) {
  console.error(stderr.toString())
  console.error(`as-token: asc failed: ${error.message}`)
  process.exit(1)
}

const wasm = readFileSync(wasmPath)
const tags = [
  ['Data-Protocol', 'ao'],
  ['Variant', 'ao.TN.1'],
  ['Type', 'Module'],
  ['Module-Format', format],
  ['Input-Encoding', 'JSON-1'],
  ['Output-Encoding', 'JSON-1'],
  ['Memory-Limit', '256-mb'],
  ['Compute-Limit', '9000000000000'],
  ['Content-Type', 'application/wasm'],
].map(([name, value]) => ({ name, value }))
const sha256 = createHash('sha256').update(wasm).digest('hex')
writeFileSync(join(buildDir, 'as-token.json'), JSON.stringify({ format, tags, sha256 }, null, 2) + '\n')
console.log(`as-token: ${wasm.length} bytes, sha256 ${sha256}`)
