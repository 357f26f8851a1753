import { encodeUnsignedLeb128 } from '../../core/encoding/leb128.ts'
import { WasmReader } from './WasmReader.ts'

const SECTION_IMPORT = 2
const SECTION_GLOBAL = 6
const SECTION_EXPORT = 7
const KIND_FUNC = 0
const KIND_TABLE = 1
const KIND_MEMORY = 2
const KIND_GLOBAL = 3
const KIND_TAG = 4
const NUMERIC_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c])

/** The export name `exportMutableGlobals` gives the global at `index` (global index space). */
export function mutableGlobalExportName(index: number): string {
  return `__holoscope_global_${index}`
}

/**
 * Rewrites a WebAssembly binary so that every mutable global it defines (not imports) is
 * exported as `__holoscope_global_<index>`, `<index>` in the global index space (imported
 * globals first). Only the export section changes (it is created after the global section
 * when missing); every other byte is kept. Globals already exported under that name are
 * left alone, so rewriting twice changes nothing.
 * @param bytes the module binary
 * @returns the rewritten binary (the input itself when there is nothing to export)
 * @throws RangeError on a malformed binary or a mutable global JavaScript cannot read
 *   (v128 or reference typed)
 */
export function exportMutableGlobals(bytes: Uint8Array): Uint8Array {
  const reader = new WasmReader(bytes)
  const sections = reader.sections()

  let importedGlobals = 0
  const importSection = sections.find((s) => s.id === SECTION_IMPORT)
  if (importSection) {
    const r = new WasmReader(bytes, importSection.contentStart)
    const count = r.u()
    for (let i = 0; i < count; i++) {
      r.name()
      r.name()
      const kind = r.byte()
      if (kind === KIND_FUNC) r.u()
      else if (kind === KIND_TABLE) {
        r.valType()
        r.limits()
      } else if (kind === KIND_MEMORY) r.limits()
      else if (kind === KIND_GLOBAL) {
        r.valType()
        r.byte()
        importedGlobals++
      } else if (kind === KIND_TAG) {
        r.byte()
        r.u()
      } else throw new RangeError(`unknown import kind ${kind} at offset ${r.pos - 1}`)
    }
  }

  const globalSection = sections.find((s) => s.id === SECTION_GLOBAL)
  if (!globalSection) return bytes
  const mutable: number[] = []
  {
    const r = new WasmReader(bytes, globalSection.contentStart)
    const count = r.u()
    for (let i = 0; i < count; i++) {
      const type = r.valType()
      const isMutable = r.byte() === 1
      r.skipConstExpr()
      if (!isMutable) continue
      const index = importedGlobals + i
      if (!NUMERIC_TYPES.has(type)) {
        throw new RangeError(`mutable global ${index} has type 0x${type.toString(16)}, which JavaScript cannot snapshot`)
      }
      mutable.push(index)
    }
  }

  const exportSection = sections.find((s) => s.id === SECTION_EXPORT)
  let exportCount = 0
  let entries: Uint8Array = new Uint8Array(0)
  const alreadyExported = new Set<string>()
  if (exportSection) {
    const r = new WasmReader(bytes, exportSection.contentStart)
    exportCount = r.u()
    const entriesStart = r.pos
    for (let i = 0; i < exportCount; i++) {
      const name = r.name()
      const kind = r.byte()
      const index = r.u()
      if (kind === KIND_GLOBAL && name === mutableGlobalExportName(index)) alreadyExported.add(name)
    }
    entries = bytes.subarray(entriesStart, exportSection.end)
  }

  const added = mutable.filter((index) => !alreadyExported.has(mutableGlobalExportName(index)))
  if (added.length === 0) return bytes

  const encoder = new TextEncoder()
  const newEntries: number[] = []
  for (const index of added) {
    const name = encoder.encode(mutableGlobalExportName(index))
    newEntries.push(...encodeUnsignedLeb128(name.length), ...name, KIND_GLOBAL, ...encodeUnsignedLeb128(index))
  }
  const content = [...encodeUnsignedLeb128(exportCount + added.length), ...entries, ...newEntries]
  const section = new Uint8Array([SECTION_EXPORT, ...encodeUnsignedLeb128(content.length), ...content])

  const cutStart = exportSection ? exportSection.start : globalSection.end
  const cutEnd = exportSection ? exportSection.end : globalSection.end
  const out = new Uint8Array(bytes.length - (cutEnd - cutStart) + section.length)
  out.set(bytes.subarray(0, cutStart), 0)
  out.set(section, cutStart)
  out.set(bytes.subarray(cutEnd), cutStart + section.length)
  return out
}
