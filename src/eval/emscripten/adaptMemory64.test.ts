import { describe, expect, it } from 'vitest'
import { adaptMemory64 } from './adaptMemory64.ts'
import { createHostFaults } from './hostFaults.ts'

const wasm64 = 'wasm64-unknown-emscripten-draft_2024_02_15'

/**
 * A memory whose grow behaves as an i64 memory's does in browsers that follow the final
 * memory64 JS API (Chromium 156): it takes a BigInt only and returns the old size as a BigInt.
 * `fail` makes every real grow fail with that error.
 */
function bigIntMemory(fail?: Error) {
  const calls: unknown[] = []
  let pages = 1n
  const memory = Object.create(WebAssembly.Memory.prototype) as WebAssembly.Memory
  Object.defineProperty(memory, 'grow', {
    configurable: true,
    value(delta: unknown) {
      calls.push(delta)
      if (typeof delta !== 'bigint') throw new TypeError(`Cannot convert ${String(delta)} to a BigInt`)
      if (fail && delta > 0n) throw fail
      const previous = pages
      pages += delta
      return previous
    },
  })
  return { memory, calls, pages: () => pages }
}

describe('adaptMemory64', () => {
  it('hands an i64 memory that takes only BigInts a whole BigInt page count, and the glue a Number back', () => {
    const { memory, calls, pages } = bigIntMemory()
    adaptMemory64({ memory }, wasm64, createHostFaults())
    // What ao-loader's wasm64 glue passes: a Number, not even whole.
    expect(memory.grow(590.9999847412109)).toBe(1)
    expect(calls.at(-1)).toBe(590n)
    expect(pages()).toBe(591n)
  })

  it('leaves a grow that takes Numbers (Node 20) its Numbers', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 })
    adaptMemory64({ memory }, wasm64, createHostFaults())
    expect(memory.grow(1.5)).toBe(1)
    expect(memory.buffer.byteLength).toBe(2 * 65536)
  })

  it('records a grow the host cannot do as an EvaluatorHostError naming the format, the cause and what to do', () => {
    const { memory } = bigIntMemory(new TypeError('this host refuses'))
    const faults = createHostFaults()
    adaptMemory64({ memory }, wasm64, faults)
    // The glue catches the throw and reports out of memory: the fault must surface after the call.
    expect(() => memory.grow(3)).toThrow(TypeError)
    let thrown: unknown
    try {
      faults.check()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ name: 'EvaluatorHostError' })
    expect((thrown as Error).message).toMatch(/could not grow the module's wasm64-unknown-emscripten-draft_2024_02_15 memory \(TypeError: this host refuses\)/)
    // Here the host is Node: the next step is Holoscope's Node workers (the browser's names a current browser or the CLI).
    expect((thrown as Error).message).toMatch(/: replay it in Holoscope's Node workers/)
    expect(() => faults.check(), 'thrown once').not.toThrow()
  })

  it('does not record running out of room (a RangeError): a CU meets that too, and the module reports it', () => {
    const { memory } = bigIntMemory(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'))
    const faults = createHostFaults()
    adaptMemory64({ memory }, wasm64, faults)
    expect(() => memory.grow(3)).toThrow(RangeError)
    expect(() => faults.check()).not.toThrow()
  })

  it('leaves wasm32 memories alone', () => {
    const { memory } = bigIntMemory()
    adaptMemory64({ memory }, 'wasm32-unknown-emscripten4', createHostFaults())
    expect(() => memory.grow(1)).toThrow(TypeError)
  })
})
