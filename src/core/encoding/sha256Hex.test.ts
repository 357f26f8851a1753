import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { isAllZero } from './isAllZero.ts'
import { sha256Hex } from './sha256Hex.ts'

const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('sha256Hex', () => {
  test('is the SHA-256 of the bytes in lowercase hex, small and empty', async () => {
    expect(await sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    const bytes = new TextEncoder().encode('holoscope')
    expect(await sha256Hex(bytes)).toBe(reference(bytes))
  })

  test('hashes a view, not its whole buffer, and a memory past the in-place limit the same way', async () => {
    const large = new Uint8Array((64 << 20) + 3)
    for (let i = 0; i < large.length; i += 4093) large[i] = i & 0xff
    expect(await sha256Hex(large)).toBe(reference(large))
    const view = large.subarray(5, 1005)
    expect(await sha256Hex(view)).toBe(reference(view))
  })
})

describe('isAllZero', () => {
  test('finds a non-zero byte at any offset of any view, aligned or not', () => {
    const buffer = new Uint8Array(64)
    for (const offset of [0, 1, 2, 3]) {
      for (const length of [0, 1, 5, 17, 60 - offset]) {
        const view = buffer.subarray(offset, offset + length)
        expect(isAllZero(view)).toBe(true)
        for (let i = 0; i < length; i++) {
          view[i] = 7
          expect(isAllZero(view)).toBe(false)
          view[i] = 0
        }
      }
    }
  })

  test('ignores bytes outside the view', () => {
    const buffer = new Uint8Array(16).fill(1)
    buffer.fill(0, 3, 13)
    expect(isAllZero(buffer.subarray(3, 13))).toBe(true)
    expect(isAllZero(buffer.subarray(2, 13))).toBe(false)
  })
})
