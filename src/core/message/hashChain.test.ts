import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { firstHashChain, nextHashChain } from './hashChain.ts'

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('base64url')
const pid = Buffer.alloc(32, 7).toString('base64url')
const aid = Buffer.alloc(32, 9).toString('base64url')

describe('hash chain', () => {
  it('starts with the sha256 of the process id bytes', () => {
    expect(firstHashChain(pid)).toBe(sha(Buffer.alloc(32, 7)))
  })

  it('links the previous assignment id and link, in that order', () => {
    const first = firstHashChain(pid)
    const next = nextHashChain(aid, first)
    expect(next).toBe(sha(Buffer.alloc(32, 9), Buffer.from(first, 'base64url')))
    expect(next).not.toBe(sha(Buffer.from(first, 'base64url'), Buffer.alloc(32, 9)))
  })

  it('refuses inputs that are not 32 bytes', () => {
    expect(() => firstHashChain('abc')).toThrow(/not 32/)
    expect(() => nextHashChain(aid, 'abc')).toThrow(/hash chain/)
  })
})
