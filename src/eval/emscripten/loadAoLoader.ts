import type { AoEnv, AoMessage } from '../../core/message/types.ts'
import { defaultHostProfile } from '../../core/host/knownHostProfiles.ts'
import type { AoLoaderVersion, HostProfile } from '../../core/host/types.ts'
import { AoLoaderRealmError } from '../errors.ts'
import { evaluateCommonJs, patchAoLoaderSource } from './patchAoLoaderSource.ts'

/** What ao-loader's `handle` resolves to. */
export type AoLoaderResult = {
  Memory: ArrayBuffer | Uint8Array
  Output?: unknown
  Messages?: unknown[]
  Spawns?: unknown[]
  Assignments?: unknown[]
  Patches?: unknown[]
  Error?: unknown
  GasUsed?: number
}

/** ao-loader's `handle(memory, msg, env)`. */
export type AoLoaderHandle = (memory: ArrayBuffer | Uint8Array | null, msg: AoMessage, env: AoEnv) => Promise<AoLoaderResult>

/** The instantiate callback Emscripten calls instead of compiling bytes itself. */
export type InstantiateWasm = (
  imports: WebAssembly.Imports,
  receiveInstance: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
) => object

type AoLoader = (binary: InstantiateWasm | Uint8Array, options: Record<string, unknown>) => Promise<AoLoaderHandle>

let loader: Promise<AoLoader> | undefined
let host: HostProfile = defaultHostProfile
let loadedWith: HostProfile | undefined

/**
 * Chooses the host profile this realm's ao-loader runs under: its version and, in a browser,
 * the program name its glues write into memory (Node's glues read `process.argv[1]`, which
 * `pinHostEnvironment` pins). Called by `pinHostEnvironment` before any module is loaded.
 *
 * @throws AoLoaderRealmError when this realm already loaded ao-loader for another host (one per realm:
 *   importing one patches the realm's `WebAssembly.compile`)
 */
export function selectAoLoader(profile: HostProfile): void {
  if (loadedWith && (loadedWith.aoLoader !== profile.aoLoader || loadedWith.programPath !== profile.programPath)) {
    throw new AoLoaderRealmError(`this evaluator realm already runs ao-loader ${loadedWith.aoLoader} for host profile ${loadedWith.id}; host profile ${profile.id} needs a new worker`, {
      details: 'Each host profile is replayed in a worker of its own: start a new evaluator (worker) for it.',
    })
  }
  host = profile
}

/**
 * ao-loader, imported on first use, in the version of the realm's host profile (`selectAoLoader`;
 * default 0.0.49): importing it patches `WebAssembly.compile` for the realm, and creating an
 * instance replaces `Date.now`, `Math.random` (and `performance.now` for older glues) with
 * deterministic versions. Run one process per realm (a worker).
 */
export function loadAoLoader(): Promise<AoLoader> {
  const { aoLoader: version, programPath } = (loadedWith ??= host)
  loader ??= (isNode() ? importForNode(version) : import('./aoLoaderForBrowser.ts').then((m) => m.aoLoaderForBrowser(version, programPath))).then((mod) => {
    const fn = (mod as { default?: unknown }).default ?? mod
    return fn as AoLoader
  })
  return loader
}

function isNode(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions
  return typeof versions?.node === 'string'
}

// Hidden from the bundler: browser builds load ao-loader through aoLoaderForBrowser only.
// 0.0.49 is imported as published; 0.0.44 (an npm alias) is read and run with its memory copy
// made optional (`patchAoLoaderSource`), through Node's built-ins got at run time.
async function importForNode(version: AoLoaderVersion): Promise<unknown> {
  if (version === '0.0.49') return import(/* @vite-ignore */ nodePackage)
  const getBuiltin = (process as unknown as { getBuiltinModule(name: string): unknown }).getBuiltinModule
  const { createRequire } = getBuiltin('node:module') as typeof import('node:module')
  const { readFileSync } = getBuiltin('node:fs') as typeof import('node:fs')
  const { dirname } = getBuiltin('node:path') as typeof import('node:path')
  const filename = createRequire(import.meta.url).resolve('ao-loader-0.0.44')
  return evaluateCommonJs(patchAoLoaderSource(readFileSync(filename, 'utf8'), version), { require: createRequire(filename), filename, dirname: dirname(filename) })
}

const nodePackage = '@permaweb/ao-loader'
