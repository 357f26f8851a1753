import { describe, expect, it } from 'vitest'
import type { EvalResult } from '../message/types.ts'
import { decodeBalances } from './decodeBalances.ts'
import { parseBalance } from './parseBalance.ts'

const answer = (data: string): EvalResult => ({ Output: '', Messages: [{ Data: data }], Spawns: [], Assignments: [] })

describe('decodeBalances, read with parseBalance', () => {
  it('keeps a value that is not a whole decimal number as the token reported it, as text', () => {
    const balances = decodeBalances(answer('{"a":1e21,"b":"ok","c":"1e+21","d":1.5}'))
    expect(balances).toEqual({ a: '1e+21', b: 'ok', c: '1e+21', d: '1.5' })
    expect(Object.values(balances!).map(parseBalance)).toEqual([{ text: '1e+21' }, { text: 'ok' }, { text: '1e+21' }, { text: '1.5' }])
  })

  it('reads negative, zero-padded and huge whole numbers as amounts', () => {
    const balances = decodeBalances(answer('{"a":"-5","b":"007","c":"340282366920938463463374607431768211456","d":-3}'))
    expect(Object.values(balances!).map(parseBalance)).toEqual([{ amount: -5n }, { amount: 7n }, { amount: 2n ** 128n }, { amount: -3n }])
  })
})
