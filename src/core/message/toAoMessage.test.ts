import { describe, expect, it } from 'vitest'
import { fromBase64Url, toBase64Url } from '../encoding/base64url.ts'
import { addressFrom } from './addressFrom.ts'
import { processMessage } from './processMessage.ts'
import { toAoEnv } from './toAoEnv.ts'
import { toAoMessage } from './toAoMessage.ts'
import type { SuNode, SuProcess, Tag } from './types.ts'

const pid = 'P'.repeat(43)
const rsaOwner = { address: 'A'.repeat(43), key: toBase64Url(new Uint8Array(512).fill(7)) }

function assignmentTags(nonce: number): Tag[] {
  return [
    { name: 'Process', value: pid },
    { name: 'Epoch', value: '0' },
    { name: 'Nonce', value: String(nonce) },
    { name: 'Hash-Chain', value: 'H'.repeat(43) },
    { name: 'Block-Height', value: '000001500123' },
    { name: 'Timestamp', value: '1750000000123' },
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Type', value: 'Assignment' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Message', value: 'M'.repeat(43) },
  ]
}

function node(tags: Tag[], owner = rsaOwner): SuNode {
  return {
    message: { id: 'M'.repeat(43), owner, data: 'hello', tags, signature: 'S'.repeat(683), anchor: null, target: pid },
    assignment: { id: 'X'.repeat(43), owner: rsaOwner, tags: assignmentTags(7), signature: 'T'.repeat(683), anchor: null, target: null },
  }
}

describe('toAoMessage', () => {
  it('builds the CU message with its keys in the CU order and numbers as numbers', () => {
    const msg = toAoMessage(node([{ name: 'Action', value: 'Transfer' }]))
    expect(Object.keys(msg)).toEqual([
      'Id', 'Signature', 'Data', 'Owner', 'Target', 'Anchor', 'From', 'Tags',
      'Epoch', 'Nonce', 'Timestamp', 'Block-Height', 'Hash-Chain', 'Cron', 'Read-Only',
    ])
    expect(msg).toMatchObject({ Owner: rsaOwner.address, From: rsaOwner.address, Target: pid, Anchor: null, Nonce: 7, Epoch: 0, Timestamp: 1750000000123, 'Block-Height': 1500123, Cron: false, 'Read-Only': false })
    expect(JSON.stringify(msg)).toContain('"Anchor":null')
  })

  it('takes From from a From-Process tag and sets Forwarded-By to the signer', () => {
    const msg = toAoMessage(node([{ name: 'From-Process', value: 'Q'.repeat(43) }, { name: 'Action', value: 'Credit-Notice' }]))
    expect(msg.From).toBe('Q'.repeat(43))
    expect(msg['Forwarded-By']).toBe(rsaOwner.address)
    expect(Object.keys(msg).indexOf('Forwarded-By')).toBe(Object.keys(msg).indexOf('From') + 1)
  })

  it('drops tags named From or Owner, keeping the others in order', () => {
    const msg = toAoMessage(node([{ name: 'From', value: 'x' }, { name: 'A', value: '1' }, { name: 'Owner', value: 'y' }, { name: 'B', value: '2' }]))
    expect(msg.Tags).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }])
  })

  it('uses the EIP-55 address for a 65-byte Ethereum key', () => {
    // The public key of private key 1 on secp256k1, whose address is well known.
    const pub = '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'
    const key = toBase64Url(Uint8Array.from(pub.match(/../g)!.map((h) => parseInt(h, 16))))
    expect(addressFrom({ address: 'sha-address', key })).toBe('0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf')
    expect(toAoMessage(node([], { address: 'sha-address', key })).Owner).toBe('0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf')
  })

  it('maps an assignment of an existing message from the loaded item, target from its recipient', () => {
    const edge: SuNode = { message: null, assignment: node([]).assignment }
    expect(() => toAoMessage(edge)).toThrow(/needs its message/)
    const msg = toAoMessage(edge, { id: 'Z'.repeat(43), signature: 's', owner: rsaOwner, tags: [{ name: 'Action', value: 'Eval' }], anchor: null, recipient: 'R'.repeat(43), data: 'd' })
    expect(msg).toMatchObject({ Id: 'Z'.repeat(43), Target: 'R'.repeat(43), Nonce: 7 })
    expect(msg['Forwarded-By']).toBeUndefined()
  })
})

describe('processMessage and toAoEnv', () => {
  const process: SuProcess = {
    process_id: pid, block: '000001400000', owner: rsaOwner, timestamp: 1749999999000, data: null, anchor: null, signature: 'sig',
    tags: [{ name: 'Type', value: 'Process' }, { name: 'Owner', value: 'dropped' }],
  }

  it('builds the synthetic first message with no Nonce or Epoch', () => {
    const msg = processMessage(process, 'boot')
    expect(msg).toMatchObject({ Id: pid, Target: pid, Data: 'boot', Timestamp: 1749999999000, 'Block-Height': 1400000, Cron: false })
    expect('Nonce' in msg).toBe(false)
    expect(msg.Tags).toEqual([{ name: 'Type', value: 'Process' }])
  })

  it('builds env with owners as addresses and tags as signed', () => {
    const env = toAoEnv(process, { id: 'm', owner: rsaOwner, tags: [{ name: 'Module-Format', value: 'x' }] })
    expect(env).toEqual({
      Process: { Id: pid, Owner: rsaOwner.address, Tags: process.tags },
      Module: { Id: 'm', Owner: rsaOwner.address, Tags: [{ name: 'Module-Format', value: 'x' }] },
    })
  })
})

describe('base64url', () => {
  it('round-trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff)
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes)
    }
    expect(() => fromBase64Url('ab$d')).toThrow(/invalid base64url/)
  })
})
