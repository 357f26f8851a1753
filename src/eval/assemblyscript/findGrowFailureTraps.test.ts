import { expect, test } from 'vitest'
import { asTokenWasm } from '../../../processes/as-token/tokenFixture.ts'
import { exportMutableGlobals } from './exportMutableGlobals.ts'
import { findGrowFailureTraps } from './findGrowFailureTraps.ts'

test('finds the allocator’s out-of-memory unreachable in the fixture, at the same place after rewriting', () => {
  const original = asTokenWasm()
  const found = [...findGrowFailureTraps(original)]
  expect(found.length).toBeGreaterThan(0)
  for (const offset of found) {
    expect(original[offset]).toBe(0x00)
    expect([...original.subarray(offset - 7, offset - 5)]).toEqual([0x40, 0x00])
  }
  const rewritten = exportMutableGlobals(original)
  const shift = rewritten.length - original.length
  expect([...findGrowFailureTraps(rewritten)]).toEqual(found.map((o) => o + shift))
})

test('finds nothing in a module without code', () => {
  expect(findGrowFailureTraps(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])).size).toBe(0)
})
