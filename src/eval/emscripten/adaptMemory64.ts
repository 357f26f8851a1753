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
          faults.record(
            `This ${hostName()} could not grow the module's ${format} memory: ${error instanceof Error ? error.message : String(error)}`,
            "The result would be this runtime's failure, not the module's. Try a current Chromium or Firefox, or the command line (npm run holoscope).",
            error,
          )
        }
        throw error
      }
    },
  })
}

function hostName(): string {
  const versions = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions
  return typeof versions?.node === 'string' ? 'Node.js runtime' : 'browser'
}
