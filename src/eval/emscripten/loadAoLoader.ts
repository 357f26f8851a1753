import type { AoEnv, AoMessage } from '../../core/message/types.ts'
import { defaultHostProfile } from '../../core/host/knownHostProfiles.ts'
import type { AoLoaderVersion, HostProfile } from '../../core/host/types.ts'

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
let loadedVersion: AoLoaderVersion | undefined

/**
 * Chooses the host profile this realm's ao-loader runs under: its version, and the program path
 * the glue writes into memory (given to the glue as `thisProgram`, which browsers otherwise
 * never set; Holoscope's default profile adds nothing). Called by `pinHostEnvironment` before
 * any module is loaded.
 *
 * @throws Error when this realm already loaded another ao-loader version (one per realm:
 *   importing one patches the realm's `WebAssembly.compile`)
 */
export function selectAoLoader(profile: HostProfile): void {
  if (loadedVersion !== undefined && loadedVersion !== profile.aoLoader) {
    throw new Error(`this evaluator realm already runs ao-loader ${loadedVersion}; host profile ${profile.id} needs ${profile.aoLoader}: start a new worker for it`)
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
  const version = host.aoLoader
  loadedVersion ??= version
  loader ??= (isNode() ? importForNode(version) : import('./aoLoaderForBrowser.ts').then((m) => m.aoLoaderForBrowser(version))).then((mod) => {
    const fn = ((mod as { default?: unknown }).default ?? mod) as AoLoader
    return (binary, options) => withHost(fn, binary, options)
  })
  return loader
}

// The host's program path goes in as the glue's `thisProgram` (read when an instance is made).
function withHost(fn: AoLoader, binary: InstantiateWasm | Uint8Array, options: Record<string, unknown>): Promise<AoLoaderHandle> {
  return fn(binary, host.programPath === defaultHostProfile.programPath ? options : { thisProgram: host.programPath, ...options })
}

function isNode(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions
  return typeof versions?.node === 'string'
}

// Hidden from the bundler: browser builds load ao-loader through aoLoaderForBrowser only.
function importForNode(version: AoLoaderVersion): Promise<unknown> {
  const name = version === '0.0.44' ? 'ao-loader-0.0.44' : '@permaweb/ao-loader'
  return import(/* @vite-ignore */ name)
}
