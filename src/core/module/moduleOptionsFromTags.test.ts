import { describe, expect, it } from 'vitest'
import { moduleOptionsFromTags, parseBytes } from './moduleOptionsFromTags.ts'

const tags = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }))

describe('moduleOptionsFromTags', () => {
  it('reads format and limits, the process tag winning', () => {
    const options = moduleOptionsFromTags(
      tags({ 'Module-Format': 'wasm32-unknown-emscripten2', 'Memory-Limit': '500-mb', 'Compute-Limit': '9000000000000' }),
      tags({ 'Memory-Limit': '1-gb' }),
    )
    expect(options).toEqual({ format: 'wasm32-unknown-emscripten2', memoryLimit: 1024 ** 3, computeLimit: 9e12, extensions: {} })
  })

  it('collects Extension tags with their prefixed tags', () => {
    const options = moduleOptionsFromTags([
      { name: 'Module-Format', value: 'wasm64-unknown-emscripten-draft_2024_02_15' },
      { name: 'Extension', value: 'WeaveDrive' },
      { name: 'WeaveDrive-Mode', value: 'Individual' },
    ])
    expect(options.extensions).toEqual({ WeaveDrive: { Mode: 'Individual' } })
  })

  it('refuses what a CU refuses, saying why', () => {
    expect(() => moduleOptionsFromTags(tags({ 'Module-Format': 'wasm32-unknown-wasi' }))).toThrow(/"wasm32-unknown-wasi" is not supported/)
    expect(() => moduleOptionsFromTags([])).toThrow(/Module-Format is missing/)
    expect(() => moduleOptionsFromTags(tags({ 'Module-Format': 'wasm32-unknown-emscripten2', 'Memory-Limit': '2-gb' }))).toThrow(/above the 1 GiB/)
    expect(() => moduleOptionsFromTags(tags({ 'Module-Format': 'wasm32-unknown-emscripten2', 'Memory-Limit': 'lots' }))).toThrow(/not a size/)
    expect(() => moduleOptionsFromTags(tags({ 'Module-Format': 'wasm32-unknown-emscripten2', 'Compute-Limit': '90000000000000' }))).toThrow(/above/)
  })

  it('parses sizes 1024-based', () => {
    expect(parseBytes('500-mb')).toBe(524288000)
    expect(parseBytes('64kb')).toBe(65536)
    expect(parseBytes('2048')).toBe(2048)
    expect(parseBytes('abc')).toBeNaN()
  })
})
