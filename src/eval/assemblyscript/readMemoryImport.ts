import { WasmReader } from './WasmReader.ts'

/** An imported linear memory: where it is imported from and its declared limits, in pages. */
export type MemoryImport = { module: string; name: string; min: number; max: number | undefined }

/**
 * The memory a WebAssembly binary imports, or undefined when it defines its own.
 * @throws RangeError on a malformed binary
 */
export function readMemoryImport(bytes: Uint8Array): MemoryImport | undefined {
  const section = new WasmReader(bytes).sections().find((s) => s.id === 2)
  if (!section) return undefined
  const r = new WasmReader(bytes, section.contentStart)
  const count = r.u()
  for (let i = 0; i < count; i++) {
    const module = r.name()
    const name = r.name()
    const kind = r.byte()
    if (kind === 0) r.u()
    else if (kind === 1) {
      r.valType()
      r.limits()
    } else if (kind === 2) return { module, name, ...r.limits() }
    else if (kind === 3) {
      r.valType()
      r.byte()
    } else if (kind === 4) {
      r.byte()
      r.u()
    } else throw new RangeError(`unknown import kind ${kind} at offset ${r.pos - 1}`)
  }
  return undefined
}
