import { describe, expect, test } from 'vitest'
import { assignedNonce, nonceOf, NonceTagError } from './nonceOf.ts'
import type { SuNode } from './types.ts'

const edge = (nonce: string | undefined): SuNode => ({ assignment: { id: 'assignment-1', tags: nonce === undefined ? [] : [{ name: 'Nonce', value: nonce }] } }) as unknown as SuNode

describe('nonceOf', () => {
  test('reads a whole-number Nonce tag', () => {
    expect(nonceOf(edge('0'))).toBe(0)
    expect(nonceOf(edge('1107'))).toBe(1107)
    expect(assignedNonce(edge('42'))).toBe(42)
  })

  test.each([undefined, '', 'x', '1.5', '-1', '1e3'])('refuses Nonce %j with a typed error naming the assignment, never NaN', (value) => {
    expect(assignedNonce(edge(value))).toBeUndefined()
    expect(() => nonceOf(edge(value))).toThrow(NonceTagError)
    expect(() => nonceOf(edge(value))).toThrow(/Assignment assignment-1 has (no Nonce tag|Nonce ")/)
  })
})
