import { describe, expect, it } from 'vitest'
import { fromBase64Url, toBase64Url } from '../encoding/base64url.ts'
import { firstHashChain, nextHashChain } from './hashChain.ts'

// An independent SHA-256 (WebCrypto) to check the chain against.
const sha = async (...parts: Uint8Array[]) => {
  const input = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    input.set(part, at)
    at += part.length
  }
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', input)))
}
const bytes = (fill: number) => new Uint8Array(32).fill(fill)
const pid = toBase64Url(bytes(7))
const aid = toBase64Url(bytes(9))

describe('hash chain', () => {
  it('starts with the sha256 of the process id bytes', async () => {
    expect(firstHashChain(pid)).toBe(await sha(bytes(7)))
  })

  it('links the previous assignment id and link, in that order', async () => {
    const first = firstHashChain(pid)
    const next = nextHashChain(aid, first)
    expect(next).toBe(await sha(bytes(9), fromBase64Url(first)))
    expect(next).not.toBe(await sha(fromBase64Url(first), bytes(9)))
  })

  it('refuses inputs that are not 32 bytes', () => {
    expect(() => firstHashChain('abc')).toThrow(/not 32/)
    expect(() => nextHashChain(aid, 'abc')).toThrow(/hash chain/)
  })
})
