import type { HostFaults } from './hostFaults.ts'

/**
 * Makes an instance's memory accept what ao-loader's glue passes to `grow`. The wasm64 glue
 * calls `memory.grow(pages)` with a Number that need not be whole; browsers that follow the
 * final memory64 JS API want a BigInt for an i64 memory (Node 20, behind its flag, wants a
 * Number). The page count is truncated, as a Number argument is. A grow that fails for any
 * other reason than running out of room (a RangeError, which a CU meets too) is a host fault:
 * the glue swallows it and the module reports "out of memory", so it is recorded in `faults`.
 *
 * @param exports the instance's exports (its memory is patched in place, before the glue sees it)
 */
export function adaptMemory64(exports: WebAssembly.Exports, format: string, faults: HostFaults): void {
  if (!format.startsWith('wasm64')) return
  const memory = Object.values(exports).find((v): v is WebAssembly.Memory => v instanceof WebAssembly.Memory)
  if (!memory) return
  const grow = memory.grow.bind(memory) as (delta: number | bigint) => number | bigint
  let wantsBigInt = false
  try {
    grow(0)
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    wantsBigInt = true
  }
  Object.defineProperty(memory, 'grow', {
    configurable: true,
    value: (delta: number | bigint): number => {
      try {
        const previous = grow(wantsBigInt ? BigInt(Math.trunc(Number(delta))) : delta)
        return Number(previous)
      } catch (error) {
        if (!(error instanceof RangeError)) {
          // The next step goes in the message: only name and message cross a worker boundary.
          const host = hostName()
          const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
          faults.record(
            `This ${host} could not grow the module's ${format} memory (${cause}), so its results would be this ${host}'s failure, not the module's: ${nextStep(host)}`,
            "The emscripten glue grows memory itself and reports a failed grow as the module's own out-of-memory error; only a RangeError (no room left) is the module's, as on a CU.",
            error,
          )
        }
        throw error
      }
    },
  })
}

function hostName(): 'Node.js runtime' | 'browser' {
  const versions = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions
  return typeof versions?.node === 'string' ? 'Node.js runtime' : 'browser'
}

function nextStep(host: 'Node.js runtime' | 'browser'): string {
  return host === 'browser'
    ? 'replay it in a current Chromium or Firefox, or with the command line (npm run holoscope -- replay).'
    : "replay it in Holoscope's Node workers (they turn on memory64, behind --experimental-wasm-memory64 in Node 20) or in a current Chromium."
}
