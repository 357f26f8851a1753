import type { AoEnv, AoMessage } from '../../core/message/types.ts'

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

/**
 * ao-loader, imported on first use: importing it patches `WebAssembly.compile` for the realm,
 * and creating an instance replaces `Date.now`, `Math.random` (and `performance.now` for older
 * glues) with deterministic versions. Run one process per realm (a worker).
 */
export function loadAoLoader(): Promise<AoLoader> {
  loader ??= (isNode() ? importForNode() : import('./aoLoaderForBrowser.ts').then((m) => m.aoLoaderForBrowser())).then((mod) => {
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
function importForNode(): Promise<unknown> {
  const name = '@permaweb/ao-loader'
  return import(/* @vite-ignore */ name)
}
