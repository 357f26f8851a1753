import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { patchAoLoaderSource } from './patchAoLoaderSource.ts'

const published = (name: string) => readFileSync(createRequire(import.meta.url).resolve(name), 'utf8')

describe('patchAoLoaderSource', () => {
  it("names the program in every glue, and leaves Holoscope's default text as published", () => {
    const source = published('@permaweb/ao-loader')
    const patched = patchAoLoaderSource(source, '0.0.49', '/usr/app/src/effects/worker/evaluator/index.js')
    expect(patched.match(/thisProgram = "\/usr\/app\/src\/effects\/worker\/evaluator\/index\.js";/g)).toHaveLength(5)
    expect(patchAoLoaderSource(source, '0.0.49', './this.program')).toBe(source)
  })

  it("makes 0.0.44's per-message memory copy optional, as 0.0.49's UNSAFE_MEMORY", () => {
    const patched = patchAoLoaderSource(published('ao-loader-0.0.44'), '0.0.44')
    expect(patched).toContain('Memory: options.UNSAFE_MEMORY === true ? instance.HEAPU8.buffer : instance.HEAPU8.slice(),')
  })

  it('refuses a build that does not have what it changes', () => {
    expect(() => patchAoLoaderSource('module.exports = 1', '0.0.44', '/x.js')).toThrow("ao-loader 0.0.44: its glues' program name was not found")
    expect(() => patchAoLoaderSource('module.exports = 1', '0.0.44')).toThrow("ao-loader 0.0.44: its handle's memory copy was not found")
  })
})
