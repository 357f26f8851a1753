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
  loader ??= import('@permaweb/ao-loader').then((mod) => {
    const fn = (mod as { default?: unknown }).default ?? mod
    return fn as AoLoader
  })
  return loader
}
