import { describe, expect, it } from 'vitest'
import { compareMemory } from './compareMemory.ts'

const memory = (length: number, fill = (i: number) => (i * 31 + 7) & 0xff) => Uint8Array.from({ length }, (_, i) => fill(i))

describe('compareMemory', () => {
  it('is equal for the same bytes, and at the shorter length when the rest is zeros', () => {
    const a = memory(4096)
    expect(compareMemory(a, a.slice())).toEqual({ equal: true, comparedLength: 4096, localLength: 4096, remoteLength: 4096 })
    const grown = new Uint8Array(8192)
    grown.set(a)
    expect(compareMemory(a, grown)).toEqual({ equal: true, comparedLength: 4096, localLength: 4096, remoteLength: 8192 })
    expect(compareMemory(grown, a)).toMatchObject({ equal: true, comparedLength: 4096 })
  })

  it('names the first differing byte, wherever it is and however the views are aligned', () => {
    const a = memory(10_001)
    for (const at of [0, 1, 3, 4, 5000, 10_000]) {
      const b = a.slice()
      b[at] = a[at]! ^ 0xff
      if (at + 1 < b.length) b[at + 1] = a[at + 1]! ^ 0x01
      expect(compareMemory(a, b)).toEqual({ equal: false, offset: at, local: a[at], remote: a[at]! ^ 0xff, localLength: 10_001, remoteLength: 10_001 })
    }
    const unaligned = new Uint8Array(10_003)
    unaligned.set(a, 2)
    const view = unaligned.subarray(2, 2 + a.length)
    view[7777]! ^= 0x10
    expect(compareMemory(a, view)).toEqual({ equal: false, offset: 7777, local: a[7777], remote: a[7777]! ^ 0x10, localLength: 10_001, remoteLength: 10_001 })
  })

  it('names the first non-zero byte past the shorter length', () => {
    const a = memory(100)
    const longer = new Uint8Array(200)
    longer.set(a)
    longer[150] = 9
    expect(compareMemory(a, longer)).toEqual({ equal: false, offset: 150, local: undefined, remote: 9, localLength: 100, remoteLength: 200 })
    expect(compareMemory(longer, a)).toEqual({ equal: false, offset: 150, local: 9, remote: undefined, localLength: 200, remoteLength: 100 })
  })
})
