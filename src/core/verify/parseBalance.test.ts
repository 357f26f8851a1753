import { describe, expect, it } from 'vitest'
import { compareBalances } from './compareBalances.ts'
import { parseBalance } from './parseBalance.ts'

describe('parseBalance', () => {
  it('reads whole decimal numbers as amounts, negative, with leading zeros or beyond 2^64', () => {
    expect(parseBalance('10')).toEqual({ amount: 10n })
    expect(parseBalance('0')).toEqual({ amount: 0n })
    expect(parseBalance('-5')).toEqual({ amount: -5n })
    expect(parseBalance('007')).toEqual({ amount: 7n })
    expect(parseBalance('123456789012345678901234567890')).toEqual({ amount: 123456789012345678901234567890n })
  })

  it('keeps anything else as text, never as an amount', () => {
    for (const text of ['1e+21', 'ok', '1.5', '0x10', '', ' 12', '+5', '-', '١٢']) expect(parseBalance(text)).toEqual({ text })
  })
})

describe('compareBalances', () => {
  it('orders amounts by value, beyond 2^53, and values that are not numbers after them either way', () => {
    const values = ['ok', '9007199254740993', '-5', '1e+21', '9007199254740992', '007']
    expect([...values].sort((a, b) => compareBalances(a, b))).toEqual(['-5', '007', '9007199254740992', '9007199254740993', '1e+21', 'ok'])
    expect([...values].sort((a, b) => compareBalances(a, b, true))).toEqual(['9007199254740993', '9007199254740992', '007', '-5', '1e+21', 'ok'])
  })
})
