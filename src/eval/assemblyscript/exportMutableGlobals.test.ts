import { describe, expect, test } from 'vitest'
import { asTokenWasm } from '../../../processes/as-token/tokenFixture.ts'
import { exportMutableGlobals, mutableGlobalExportName } from './exportMutableGlobals.ts'
import { WasmReader } from './WasmReader.ts'

const name = (s: string): number[] => [s.length, ...new TextEncoder().encode(s)]
const section = (id: number, content: number[]): number[] => [id, content.length, ...content]
const f64 = (x: number): number[] => [...new Uint8Array(new Float64Array([x]).buffer)]

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
const imports = section(2, [1, ...name('env'), ...name('g'), 3, 0x7f, 1])
const globals = section(6, [
  4,
  ...[0x7f, 1, 0x41, 7, 0x0b],
  ...[0x7e, 0, 0x42, 42, 0x0b],
  ...[0x7c, 1, 0x44, ...f64(1.5), 0x0b],
  ...[0x7e, 1, 0x42, 5, 0x0b],
])
const exportsSection = section(7, [1, ...name('answer'), 3, 2])
const custom = section(0, [...name('note'), 1, 2, 3])

function instantiate(bytes: Uint8Array): WebAssembly.Exports {
  const imported = new WebAssembly.Global({ value: 'i32', mutable: true }, 99)
  return new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { g: imported } }).exports
}

describe('exportMutableGlobals', () => {
  test('exports every mutable global the module defines, in the global index space, and keeps the rest', () => {
    const original = new Uint8Array([...header, ...imports, ...globals, ...exportsSection, ...custom])
    const rewritten = exportMutableGlobals(original)
    const module = new WebAssembly.Module(rewritten as Uint8Array<ArrayBuffer>)
    expect(WebAssembly.Module.exports(module)).toEqual([
      { name: 'answer', kind: 'global' },
      { name: '__holoscope_global_1', kind: 'global' },
      { name: '__holoscope_global_3', kind: 'global' },
      { name: '__holoscope_global_4', kind: 'global' },
    ])
    const exports = instantiate(rewritten)
    expect((exports.answer as WebAssembly.Global).value).toBe(42n)
    expect((exports.__holoscope_global_1 as WebAssembly.Global).value).toBe(7)
    expect((exports.__holoscope_global_3 as WebAssembly.Global).value).toBe(1.5)
    expect((exports.__holoscope_global_4 as WebAssembly.Global).value).toBe(5n)

    const prefix = header.length + imports.length + globals.length
    expect(rewritten.subarray(0, prefix)).toEqual(original.subarray(0, prefix))
    expect(rewritten.subarray(rewritten.length - custom.length)).toEqual(new Uint8Array(custom))
    expect(WebAssembly.Module.customSections(module, 'note').map((b) => [...new Uint8Array(b)])).toEqual([[1, 2, 3]])
  })

  test('creates the export section after the global section when the module has none', () => {
    const original = new Uint8Array([...header, ...globals, ...custom])
    const rewritten = exportMutableGlobals(original)
    const module = new WebAssembly.Module(rewritten as Uint8Array<ArrayBuffer>)
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual(['__holoscope_global_0', '__holoscope_global_2', '__holoscope_global_3'])
    expect(rewritten.subarray(0, header.length + globals.length)).toEqual(original.subarray(0, header.length + globals.length))
  })

  test('a written global is read back through the same export', () => {
    const exports = instantiate(exportMutableGlobals(new Uint8Array([...header, ...imports, ...globals, ...exportsSection])))
    const g = exports.__holoscope_global_4 as WebAssembly.Global
    g.value = 123n
    expect((exports.__holoscope_global_4 as WebAssembly.Global).value).toBe(123n)
  })

  test('returns the input when there is nothing to export, and rewriting twice changes nothing', () => {
    const noGlobals = new Uint8Array([...header, ...custom])
    expect(exportMutableGlobals(noGlobals)).toBe(noGlobals)
    const once = exportMutableGlobals(new Uint8Array([...header, ...imports, ...globals, ...exportsSection]))
    expect(exportMutableGlobals(once)).toBe(once)
  })

  test('rejects bytes that are not a module, or are cut short', () => {
    expect(() => exportMutableGlobals(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a WebAssembly module/)
    const cut = new Uint8Array([...header, ...imports, ...globals]).subarray(0, header.length + imports.length + 5)
    expect(() => exportMutableGlobals(cut)).toThrow(RangeError)
  })

  test('on the as-token fixture: keeps every original export and adds its mutable globals, readable from JS', () => {
    const original = asTokenWasm()
    const rewritten = exportMutableGlobals(original)
    const before = WebAssembly.Module.exports(new WebAssembly.Module(original as Uint8Array<ArrayBuffer>))
    const after = WebAssembly.Module.exports(new WebAssembly.Module(rewritten as Uint8Array<ArrayBuffer>))
    expect(after.slice(0, before.length)).toEqual(before)
    const added = after.slice(before.length)
    expect(added.length).toBeGreaterThan(10)
    expect(added.every((e) => e.kind === 'global' && /^__holoscope_global_\d+$/.test(e.name))).toBe(true)
    expect(added.map((e) => e.name)).toContain(mutableGlobalExportName(0))
    const withoutExports = (bytes: Uint8Array): number[] => {
      const exportSection = new WasmReader(bytes).sections().find((x) => x.id === 7)
      return exportSection ? [...bytes.subarray(0, exportSection.start), ...bytes.subarray(exportSection.end)] : [...bytes]
    }
    expect(withoutExports(rewritten)).toEqual(withoutExports(original))
  })
})
