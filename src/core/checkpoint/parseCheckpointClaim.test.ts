import { describe, expect, it } from 'vitest'
import { ownerAddress } from '../ans104/ownerAddress.ts'
import { toBase64Url } from '../encoding/base64url.ts'
import type { Tag } from '../message/types.ts'
import { parseCheckpointClaim, type CheckpointNode } from './parseCheckpointClaim.ts'

const processId = 'P'.repeat(43)
const id = 'c'.repeat(43)
const key = toBase64Url(Uint8Array.from({ length: 512 }, (_, i) => (i * 13 + 5) & 0xff))
const address = ownerAddress(Uint8Array.from({ length: 512 }, (_, i) => (i * 13 + 5) & 0xff))
const sha = 'AB'.repeat(32)

const baseTags: Tag[] = [
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'Type', value: 'Checkpoint' },
  { name: 'Process', value: processId },
  { name: 'Module', value: 'M'.repeat(43) },
  { name: 'Nonce', value: '12' },
  { name: 'Timestamp', value: '1700000000000' },
  { name: 'Block-Height', value: '1500' },
  { name: 'SHA-256', value: sha },
  { name: 'Content-Encoding', value: 'gzip' },
  { name: 'Hash-Chain', value: 'h'.repeat(43) },
]

const node = (changes: Partial<CheckpointNode> = {}): CheckpointNode => ({
  id,
  owner: { address, key },
  tags: baseTags,
  signature: 's'.repeat(683),
  anchor: '',
  recipient: null,
  data: { size: '2048' },
  block: { height: 1501, timestamp: 1700000001 },
  ...changes,
})
const withTag = (name: string, value: string | undefined): Tag[] => {
  const rest = baseTags.filter((t) => t.name !== name)
  return value === undefined ? rest : [...rest, { name, value }]
}
const reasonOf = (n: CheckpointNode) => {
  const read = parseCheckpointClaim(n, processId)
  return 'reason' in read ? read.reason : 'a claim'
}

describe('parseCheckpointClaim', () => {
  it('reads a claim from its tags, owner and listing', () => {
    expect(parseCheckpointClaim(node(), processId)).toEqual({
      id,
      owner: address,
      ownerKey: key,
      processId,
      moduleId: 'M'.repeat(43),
      nonce: 12,
      ordinate: '12',
      timestamp: 1700000000000,
      blockHeight: 1500,
      sha256: sha.toLowerCase(),
      encoding: 'gzip',
      hashChain: 'h'.repeat(43),
      assignmentId: undefined,
      epoch: undefined,
      cronInterval: undefined,
      unitIdentifier: undefined,
      tags: baseTags,
      signature: 's'.repeat(683),
      anchor: undefined,
      recipient: undefined,
      dataSize: 2048,
      block: { height: 1501, timestamp: 1700000001 },
    })
  })

  it('takes the listed address when the gateway gives no key, and no block while pending', () => {
    const read = parseCheckpointClaim(node({ owner: { address: 'a'.repeat(43) }, block: null, tags: withTag('Content-Encoding', undefined) }), processId)
    expect(read).toMatchObject({ owner: 'a'.repeat(43), ownerKey: undefined, block: undefined, encoding: undefined })
  })

  it('skips a node missing a tag, with the reason and the listed owner', () => {
    expect(parseCheckpointClaim(node({ tags: withTag('Nonce', undefined) }), processId)).toEqual({ id, owner: address, reason: 'its Nonce tag is missing' })
    expect(reasonOf(node({ tags: withTag('Module', undefined) }))).toBe('it has no Module tag')
    expect(reasonOf(node({ tags: withTag('SHA-256', undefined) }))).toBe('its SHA-256 tag is missing')
  })

  it('skips malformed tags and owners with what is wrong', () => {
    expect(reasonOf(node({ id: 'short' }))).toBe('its id is not a transaction id')
    expect(reasonOf(node({ tags: { problem: 'its tags[2] is not a { name, value } tag of strings' } }))).toBe('its tags[2] is not a { name, value } tag of strings')
    expect(reasonOf(node({ owner: { address, key: 'not base64!' } }))).toBe('its owner key is not base64url')
    expect(reasonOf(node({ owner: { address: 'b'.repeat(43), key } }))).toBe(`the gateway lists owner ${'b'.repeat(43)}, but its key hashes to ${address}`)
    expect(reasonOf(node({ owner: null }))).toBe('the gateway lists no owner')
    expect(reasonOf(node({ tags: withTag('Type', 'Message') }))).toBe('it is not tagged Type: Checkpoint and Data-Protocol: ao')
    expect(reasonOf(node({ tags: withTag('Process', 'Q'.repeat(43)) }))).toBe(`it is tagged Process "${'Q'.repeat(43)}", not ${processId}`)
    expect(reasonOf(node({ tags: withTag('Timestamp', '17e11') }))).toBe('its Timestamp tag is "17e11", not a whole number')
    expect(reasonOf(node({ tags: withTag('SHA-256', 'abc') }))).toBe('its SHA-256 tag is "abc", not 64 hex digits')
    expect(reasonOf(node({ tags: withTag('Content-Encoding', 'br') }))).toBe('its Content-Encoding is "br"; a CU loads only gzip')
    expect(reasonOf(node({ tags: withTag('Epoch', '-1') }))).toBe('its Epoch tag is "-1", not a whole number')
  })

  it('checks the id before the tags, and the tags before the owner', () => {
    expect(reasonOf(node({ id: 7, tags: { problem: 'its tags is not a list of tags' } }))).toBe('its id is not a transaction id')
    expect(reasonOf(node({ owner: null, tags: { problem: 'its tags is not a list of tags' } }))).toBe('its tags is not a list of tags')
  })
})
