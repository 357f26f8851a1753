// Builds a lua-token fixture: Debian's Lua 5.3 C sources + c/glue.c + c/shim.c + the Lua
// sources in lua/ (embedded as C arrays), compiled with Debian's emcc into a wasm module for
// ao-loader's `wasm32-unknown-emscripten2` glue. Writes processes/build/lua-token.{wasm,json}.
// Intermediate files live in .cache/ (git-ignored): the Lua sources (apt-get source, through a
// private apt configuration) and the compiled objects, reused when present.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, basename } from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { cpus } from 'node:os'

const here = fileURLToPath(new URL('.', import.meta.url))
const root = join(here, '..', '..')
const buildDir = join(root, 'processes', 'build')
const cacheRoot = join(root, '.cache')
const srcCache = join(cacheRoot, 'lua-src')

/**
 * @typedef {object} Variant
 * @property {string} name output name in processes/build/
 * @property {string} format Module-Format
 * @property {string[]} shimSources C/assembly files defining what the format's glue lacks
 * @property {string[]} exports exported C functions besides handle, main, malloc, free
 * @property {string[]} linkFlags extra emcc link flags
 */
/** @type {Variant} */
let variant

const LUA_MODULES = ['json', 'bigdec', 'handlers', 'token', 'process']

const env = { ...process.env, NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs' }

/**
 * Builds `variant` into processes/build/<name>.{wasm,json}; exits the process with a clear
 * message when something is missing.
 * @param {Variant} v
 */
export async function buildLuaToken(v) {
  variant = v
  const emccVersion = checkEmcc()
  const luaDir = ensureLuaSources()
  await compileAndLink(luaDir, emccVersion)
}

function log(line) {
  console.log(`${variant.name}: ${line}`)
}

function fail(message) {
  console.error(`${variant.name}: ${message}`)
  process.exit(1)
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', ...opts })
  if (r.error) fail(`${cmd} could not run: ${r.error.message}`)
  if (r.status !== 0) {
    process.stderr.write(r.stdout || '')
    process.stderr.write(r.stderr || '')
    fail(`${cmd} ${args.slice(0, 4).join(' ')}… failed (exit ${r.status})`)
  }
  return r.stdout
}

function runAsync(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${output}`))))
  })
}

async function parallel(tasks, limit) {
  let next = 0
  async function worker() {
    while (next < tasks.length) await tasks[next++]()
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
}

// 1. The tools.
function checkEmcc() {
  const emccCheck = spawnSync('emcc', ['--version'], { env, encoding: 'utf8' })
  if (emccCheck.error || emccCheck.status !== 0) {
    fail('emcc (Debian package `emscripten`) is missing; run `bash scripts/ensure-system.sh` (or `sudo apt-get install emscripten`)')
}
return emccCheck.stdout.split('\n')[0]
}

// 2. The Lua 5.3 sources from Debian (apt-get source through a private apt configuration).
function luaSourceDir() {
  const dir = join(srcCache, 'src')
  if (!existsSync(dir)) return null
  const unpacked = readdirSync(dir).find((n) => /^lua5\.3-5\.3\.\d+$/.test(n) && existsSync(join(dir, n, 'src', 'lapi.c')))
  return unpacked ? join(dir, unpacked) : null
}

/** The deb-src line for the Debian mirror and suite this machine's apt already uses. */
function debSrcLine() {
  const entries = []
  const files = []
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list')
  if (existsSync('/etc/apt/sources.list.d')) {
    for (const n of readdirSync('/etc/apt/sources.list.d')) {
      if (n.endsWith('.list') || n.endsWith('.sources')) files.push(join('/etc/apt/sources.list.d', n))
    }
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (k) => (stanza.match(new RegExp(`^${k}:\\s*(.+)$`, 'mi')) || [])[1]?.trim()
        const types = field('Types') || ''
        const uris = field('URIs')
        const suites = field('Suites')
        if (!types.split(/\s+/).includes('deb') || !uris || !suites) continue
        if (/^no$/i.test(field('Enabled') || '')) continue
        entries.push({ uri: uris.split(/\s+/)[0], suite: suites.split(/\s+/)[0], signedBy: field('Signed-By') })
      }
    } else {
      for (const line of text.split('\n')) {
        const m = line.match(/^\s*deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+/)
        if (!m) continue
        const signedBy = (m[1] || '').match(/signed-by=(\S+?)[\s\]]/)?.[1]
        entries.push({ uri: m[2], suite: m[3], signedBy })
      }
    }
  }
  const debian = entries.find((e) => /debian/.test(e.uri) && !/security/.test(e.uri) && !/-(updates|backports|security)$/.test(e.suite))
  if (!debian) fail('no Debian `deb` entry found in /etc/apt/sources.list{,.d}; cannot locate the lua5.3 source package')
  const opts = debian.signedBy && !debian.signedBy.includes('\n') ? `[signed-by=${debian.signedBy}] ` : ''
  return `deb-src ${opts}${debian.uri} ${debian.suite} main\n`
}

function fetchLuaSources() {
  if (spawnSync('dpkg-source', ['--help'], { encoding: 'utf8' }).error) {
    fail('dpkg-source is missing (needed to unpack `apt-get source lua5.3`); run `bash scripts/ensure-system.sh` (or `sudo apt-get install dpkg-dev`)')
  }
  const lists = join(srcCache, 'lists')
  const cache = join(srcCache, 'cache')
  const dir = join(srcCache, 'src')
  for (const d of [join(lists, 'partial'), join(cache, 'archives', 'partial'), dir]) mkdirSync(d, { recursive: true })
  const sourcesList = join(srcCache, 'sources.list')
  writeFileSync(sourcesList, debSrcLine())
  const opts = [
    '-o', `Dir::Etc::SourceList=${sourcesList}`,
    '-o', 'Dir::Etc::SourceParts=/nonexistent',
    '-o', `Dir::State::Lists=${lists}`,
    '-o', `Dir::Cache=${cache}`,
    '-o', 'Debug::NoLocking=1',
  ]
  log(`fetching lua5.3 sources (apt-get source, ${readFileSync(sourcesList, 'utf8').trim()})`)
  run('apt-get', [...opts, '-q', 'update'])
  run('apt-get', [...opts, '-q', 'source', 'lua5.3'], { cwd: dir })
}

function ensureLuaSources() {
  let luaDir = luaSourceDir()
  if (!luaDir) {
    fetchLuaSources()
    luaDir = luaSourceDir()
    if (!luaDir) fail(`apt-get source lua5.3 did not leave an unpacked lua5.3-5.3.x in ${join(srcCache, 'src')}`)
  } else {
    log(`using cached Lua sources ${luaDir}`)
}
return luaDir
}

async function compileAndLink(luaDir, emccVersion) {
  const luaSrc = join(luaDir, 'src')

  // 3. Compile (objects cached by a hash of compiler, flags and source).
  const work = join(cacheRoot, 'lua-token-build')
  const objDir = join(work, 'obj')
  const genDir = join(work, 'gen')
  mkdirSync(objDir, { recursive: true })
  mkdirSync(genDir, { recursive: true })
  // Debian's luaconf.h includes a generated multiarch header; only LUA_CPATH uses it.
  writeFileSync(join(genDir, 'lua5.3-deb-multiarch.h'), '#define DEB_HOST_MULTIARCH "wasm32-unknown-emscripten"\n')

  // The Lua modules, embedded as byte arrays.
  {
    const lines = ['/* generated by processes/lua-token/build.mjs from lua/*.lua */']
    LUA_MODULES.forEach((name, i) => {
      const bytes = readFileSync(join(here, 'lua', `${name}.lua`))
      const body = []
      for (let k = 0; k < bytes.length; k += 24) body.push(Array.from(bytes.subarray(k, k + 24)).join(','))
      lines.push(`static const unsigned char module_${i}[] = {\n${body.join(',\n')}\n};`)
    })
    lines.push(`const int holo_module_count = ${LUA_MODULES.length};`)
    lines.push(`const char *const holo_module_names[] = {${LUA_MODULES.map((n) => JSON.stringify(n)).join(', ')}};`)
    lines.push(`const unsigned char *const holo_module_sources[] = {${LUA_MODULES.map((_, i) => `module_${i}`).join(', ')}};`)
    lines.push(`const unsigned int holo_module_sizes[] = {${LUA_MODULES.map((_, i) => `sizeof(module_${i})`).join(', ')}};`)
    const text = lines.join('\n') + '\n'
    const path = join(genDir, 'modules.c')
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text)
}

const compileFlags = ['-O2', `-I${genDir}`, `-I${luaSrc}`]
const skip = new Set(['lua.c', 'luac.c', 'linit.c', 'loslib.c', 'liolib.c'])
const sources = [
  ...readdirSync(luaSrc).filter((n) => n.endsWith('.c') && !skip.has(n)).sort().map((n) => join(luaSrc, n)),
  join(here, 'c', 'glue.c'),
  join(genDir, 'modules.c'),
  ...variant.shimSources,
]
const started = performance.now()
const objects = []
const tasks = []
let compiled = 0
for (const source of sources) {
  const key = createHash('sha256')
    .update(emccVersion).update('\0').update(compileFlags.join(' ')).update('\0')
    .update(readFileSync(source))
  // headers: any change to the Lua headers or the generated ones invalidates everything
  for (const h of readdirSync(luaSrc).filter((n) => n.endsWith('.h')).sort()) key.update(readFileSync(join(luaSrc, h)))
  const obj = join(objDir, `${basename(source).replace(/\.[cS]$/, '')}-${key.digest('hex').slice(0, 16)}.o`)
  objects.push(obj)
  if (existsSync(obj)) continue
  tasks.push(async () => {
    await runAsync('emcc', [...compileFlags, '-c', source, '-o', `${obj}.tmp`])
    renameSync(`${obj}.tmp`, obj)
    compiled++
  })
}
if (tasks.length > 0) log(`compiling ${tasks.length} C files with ${emccVersion}`)
try {
  await parallel(tasks, Math.max(2, cpus().length))
} catch (error) {
  fail(error.message)
}

// 4. Link. The JS glue emcc writes is discarded: ao-loader brings its own.
const outJs = join(work, `${variant.name}.js`)
const outWasm = join(work, `${variant.name}.wasm`)
const linkFlags = [
  '-O2',
  '-s', 'ALLOW_MEMORY_GROWTH=1',
  '-s', 'INITIAL_MEMORY=16777216',
  '-s', 'MAXIMUM_MEMORY=4294967296',
  '-s', 'TOTAL_STACK=5242880',
  '-s', `EXPORTED_FUNCTIONS=${JSON.stringify(['handle', 'main', 'malloc', 'free', ...variant.exports].map((n) => `_${n}`))}`,
  '-s', 'EXPORTED_RUNTIME_METHODS=["cwrap"]',
  '-s', 'ERROR_ON_UNDEFINED_SYMBOLS=0',
  ...variant.linkFlags,
]
log(`linking (${compiled} compiled, ${objects.length - compiled} cached)`)
run('emcc', [...objects, '-o', outJs, ...linkFlags])

// 5. Outputs.
mkdirSync(buildDir, { recursive: true })
const wasm = readFileSync(outWasm)
writeFileSync(join(buildDir, `${variant.name}.wasm`), wasm)
const tags = [
  ['Data-Protocol', 'ao'],
  ['Variant', 'ao.TN.1'],
  ['Type', 'Module'],
  ['Module-Format', variant.format],
  ['Input-Encoding', 'JSON-1'],
  ['Output-Encoding', 'JSON-1'],
  ['Memory-Limit', '500-mb'],
  ['Compute-Limit', '9000000000000'],
  ['Content-Type', 'application/wasm'],
].map(([name, value]) => ({ name, value }))
const sha256 = createHash('sha256').update(wasm).digest('hex')
writeFileSync(join(buildDir, `${variant.name}.json`), JSON.stringify({ format: variant.format, tags, sha256 }, null, 2) + '\n')
log(`${wasm.length} bytes, sha256 ${sha256} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
}
