import { describe, expect, it } from 'vitest'
import type { Verdict } from './verdict.ts'
import { buildReceipt, checkReceipt, parseReceipt, ReceiptError, serializeReceipt, type LocalFacts, type ReceiptInput, type VerificationReceipt } from './receipt.ts'

const processId = 'P'.repeat(42) + 'A'
const moduleId = 'M'.repeat(42) + 'B'
const moduleOptions = { format: 'wasm32-unknown-emscripten2' as const, memoryLimit: 1024 ** 3, computeLimit: 9e12, extensions: { WeaveDrive: { Attestor: 'x' } } }
const verdicts: (Verdict & { address?: string })[] = [
  { status: 'verified', cu: 'http://127.0.0.1:4004', nonce: 120, address: 'A'.repeat(43) },
  { status: 'diverged', cu: 'http://127.0.0.1:4005', nonce: 50, messageId: 'm'.repeat(43), field: 'Output', local: 'ok', remote: 'ok (altered)' },
  { status: 'unchecked', cu: 'http://127.0.0.1:4006', reason: 'HTTP 503' },
]
const input: ReceiptInput = {
  process: processId,
  module: moduleId,
  nonces: { from: 0, to: 120 },
  hashChain: 'h'.repeat(43),
  memory: { sha256: 'a1'.repeat(32), length: 16 * 1024 * 1024 },
  cumulativeHash: 'c3'.repeat(32),
  verdicts,
  engine: { version: 'holoscope 0.1.0', moduleOptions },
  createdAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
}
const local: LocalFacts = {
  process: processId,
  module: moduleId,
  nonces: { from: 0, to: 120 },
  hashChain: 'h'.repeat(43),
  memory: { sha256: 'a1'.repeat(32), zeroTail: true },
  cumulativeHash: 'c3'.repeat(32),
  moduleOptions: structuredClone(moduleOptions),
}

const errorOf = (text: string) => {
  try {
    parseReceipt(text)
  } catch (error) {
    expect(error).toBeInstanceOf(ReceiptError)
    return (error as Error).message
  }
  throw new Error('parsed')
}

describe('receipts', () => {
  it('build the verification’s facts, keeping each CU’s verdict without the differing values', () => {
    const receipt = buildReceipt(input)
    expect(receipt.version).toBe(1)
    expect(receipt.createdAt).toBe('2025-01-02T03:04:05.000Z')
    expect(receipt.cus).toEqual([
      { cu: 'http://127.0.0.1:4004', status: 'verified', address: 'A'.repeat(43), nonce: 120 },
      { cu: 'http://127.0.0.1:4005', status: 'diverged', nonce: 50, messageId: 'm'.repeat(43), field: 'Output' },
      { cu: 'http://127.0.0.1:4006', status: 'unchecked', reason: 'HTTP 503' },
    ])
    expect(() => buildReceipt({ ...input, cumulativeHash: 'nope' })).toThrow(/The receipt could not be built: cumulativeHash must be 64 lowercase hex digits, and it is "nope"/)
  })

  it('survive a round trip through their JSON text unchanged', () => {
    const receipt = buildReceipt(input)
    const text = serializeReceipt(receipt)
    expect(parseReceipt(text)).toEqual(receipt)
    expect(serializeReceipt(parseReceipt(text))).toBe(text)
  })

  it('agree with the same local facts, field by field', () => {
    const check = checkReceipt(buildReceipt(input), local)
    expect(check.agrees).toBe(true)
    expect(check.disagreeing).toEqual([])
    expect(check.fields.map((f) => [f.field, f.status])).toEqual([
      ['process', 'agrees'],
      ['module', 'agrees'],
      ['nonces', 'agrees'],
      ['hashChain', 'agrees'],
      ['memory', 'agrees'],
      ['cumulativeHash', 'agrees'],
      ['moduleOptions', 'agrees'],
    ])
  })

  it('name each tampered field, and only it', () => {
    const text = serializeReceipt(buildReceipt(input))
    const tampered = (change: (r: VerificationReceipt) => void) => {
      const r = JSON.parse(text) as VerificationReceipt
      change(r)
      return checkReceipt(parseReceipt(JSON.stringify(r)), local)
    }
    const cases: [string, (r: VerificationReceipt) => void][] = [
      ['process', (r) => (r.process = 'Q'.repeat(43))],
      ['module', (r) => (r.module = 'N'.repeat(43))],
      ['nonces', (r) => (r.nonces.to = 121)],
      ['hashChain', (r) => (r.hashChain = 'g'.repeat(43))],
      ['memory', (r) => (r.memory.sha256 = 'a2'.repeat(32))],
      ['cumulativeHash', (r) => (r.cumulativeHash = 'c4'.repeat(32))],
      ['moduleOptions', (r) => (r.engine.moduleOptions.memoryLimit = 512 * 1024 ** 2)],
    ]
    for (const [field, change] of cases) {
      const check = tampered(change)
      expect(check.agrees, field).toBe(false)
      expect(check.disagreeing).toEqual([field])
    }
    // A local memory that has non-zero bytes past the receipt's length does not agree either.
    expect(checkReceipt(parseReceipt(text), { ...local, memory: { sha256: 'a1'.repeat(32), zeroTail: false } }).disagreeing).toEqual(['memory'])
  })

  it('leave unchecked what is not given locally, and agree with nothing when nothing is given', () => {
    const receipt = buildReceipt(input)
    const partial = checkReceipt(receipt, { cumulativeHash: 'c3'.repeat(32) })
    expect(partial.agrees).toBe(true)
    expect(partial.fields.filter((f) => f.status === 'unchecked').map((f) => f.field)).toEqual(['process', 'module', 'nonces', 'hashChain', 'memory', 'moduleOptions'])
    expect(checkReceipt(receipt, {}).agrees).toBe(false)
  })

  it('refuse malformed text, naming the field and what it must be', () => {
    const good = JSON.parse(serializeReceipt(buildReceipt(input))) as Record<string, unknown>
    const without = (key: string) => JSON.stringify({ ...good, [key]: undefined })
    expect(errorOf('{"version": 1,')).toMatch(/^This is not a Holoscope receipt: it is not JSON/)
    expect(errorOf('[1, 2]')).toMatch(/the receipt must be a JSON object/)
    expect(errorOf(JSON.stringify({ ...good, version: 2 }))).toMatch(/it is receipt version 2, and this Holoscope reads version 1/)
    expect(errorOf(without('process'))).toMatch(/process must be a 43-character base64url id, and it is missing/)
    expect(errorOf(JSON.stringify({ ...good, memory: { sha256: 'A1'.repeat(32), length: 1 } }))).toMatch(/memory\.sha256 must be 64 lowercase hex digits/)
    expect(errorOf(JSON.stringify({ ...good, nonces: { from: 5, to: 4 } }))).toMatch(/nonces\.to must be at least nonces\.from \(5\), and it is 4/)
    expect(errorOf(JSON.stringify({ ...good, cus: [{ cu: 'x', status: 'fine' }] }))).toMatch(/cus\[0\]\.status must be verified, diverged or unchecked/)
    expect(errorOf(JSON.stringify({ ...good, createdAt: 'yesterday' }))).toMatch(/createdAt must be an ISO 8601 date and time/)
    expect(errorOf(JSON.stringify({ ...good, engine: { version: 'v', moduleOptions: { ...moduleOptions, format: 'wasm99' } } }))).toMatch(/engine\.moduleOptions\.format must be one of/)
    expect(errorOf(JSON.stringify({ ...good, signature: 'trust me' }))).toMatch(/a field "signature" that receipts do not have/)
  })
})
