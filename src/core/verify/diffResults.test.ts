import { describe, expect, it } from 'vitest'
import type { EvalResult } from '../message/types.ts'
import { decodeBalances } from './decodeBalances.ts'
import { diffResults } from './diffResults.ts'

const result = (over: Partial<EvalResult> = {}): EvalResult => ({
  Output: 'ok',
  Messages: [{ Target: 'a', Data: '1', Tags: [{ name: 'Action', value: 'Credit-Notice' }] }],
  Spawns: [],
  Assignments: [],
  ...over,
})

describe('diffResults', () => {
  it('finds no difference between equal results, key order aside', () => {
    expect(diffResults(result(), result({ Messages: [{ Tags: [{ value: 'Credit-Notice', name: 'Action' }], Data: '1', Target: 'a' }] }))).toBeUndefined()
  })

  it('treats a numeric Output like its string, and absent like empty, as the CU does', () => {
    expect(diffResults(result({ Output: 5 }), result({ Output: '5' }))).toBeUndefined()
    expect(diffResults(result({ Output: undefined }), result({ Output: '' }))).toBeUndefined()
  })

  it('names the first differing field with both values', () => {
    expect(diffResults(result(), result({ Output: 'ok (altered)' }))).toEqual({ field: 'Output', local: 'ok', remote: 'ok (altered)' })
    const remote = result({ Messages: [{ Target: 'a', Data: '2', Tags: [{ name: 'Action', value: 'Credit-Notice' }] }] })
    expect(diffResults(result(), remote)?.field).toBe('Messages')
    expect(diffResults(result(), result({ Spawns: [{ Data: 'x' }] }))?.field).toBe('Spawns')
  })

  it('compares whether there is an Error, not its text', () => {
    expect(diffResults(result({ Error: 'boom' }), result({ Error: 'boom at line 3' }))).toBeUndefined()
    expect(diffResults(result({ Error: 'boom' }), result())).toEqual({ field: 'Error', local: 'boom', remote: null })
  })
})

describe('decodeBalances', () => {
  it('reads the JSON balances a token sends back', () => {
    expect(decodeBalances(result({ Messages: [{ Data: '{"a":"10","b":3}' }] }))).toEqual({ a: '10', b: '3' })
  })
  it('is undefined for results without balances', () => {
    expect(decodeBalances(result())).toBeUndefined()
    expect(decodeBalances(result({ Messages: [{ Data: '[1,2]' }, { Data: 'not json' }] }))).toBeUndefined()
  })
})
