import { WasmReader } from './WasmReader.ts'

const SECTION_CODE = 10
// memory.grow 0; i32.const 0; i32.lt_s; if (empty); unreachable
const PATTERN = [0x40, 0x00, 0x41, 0x00, 0x48, 0x04, 0x40, 0x00]

/**
 * The byte offsets of the `unreachable` instructions that follow a failed `memory.grow`, the way
 * AssemblyScript's allocator gives up (`if (memory.grow(n) < 0) unreachable()`). A trap at one
 * of them means the module ran out of memory (its memory's maximum is the Memory-Limit).
 * @param bytes the module binary exactly as compiled (offsets are into it)
 * @throws RangeError on a malformed binary
 */
export function findGrowFailureTraps(bytes: Uint8Array): Set<number> {
  const out = new Set<number>()
  const code = new WasmReader(bytes).sections().find((s) => s.id === SECTION_CODE)
  if (!code) return out
  for (let i = code.contentStart; i + PATTERN.length <= code.end; i++) {
    if (PATTERN.every((b, k) => bytes[i + k] === b)) out.add(i + PATTERN.length - 1)
  }
  return out
}
