import { createData, deserializeTags, serializeTags, type Signer } from '@dha-team/arbundles'
import { describe, expect, it } from 'vitest'
import { toBase64Url } from '../encoding/base64url.ts'
import { decodeAvroTags, encodeAvroTags } from './avroTags.ts'
import { DataItemFormatError } from './dataItemFormatError.ts'
import { parseDataItem } from './parseDataItem.ts'

/** An unsigned arbundles signer: enough to lay out an item (the signature stays zeros). */
const layoutOnly = (owner: Uint8Array): Signer =>
  ({ publicKey: Buffer.from(owner), signatureType: 1, signatureLength: 512, ownerLength: 512, sign: () => new Uint8Array(512) }) as unknown as Signer

const owner = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + 3) & 0xff)
const tags = [
  { name: 'Data-Protocol', value: 'ao' },
  { name: 'Type', value: 'Checkpoint' },
  { name: 'Name', value: 'ünïcødé ✓ 𝄞' },
  { name: 'Long', value: 'x'.repeat(300) },
  { name: '', value: '' },
]

describe('parseDataItem', () => {
  it('reads every field of an item laid out by arbundles', () => {
    const target = toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => i))
    const item = createData(Uint8Array.from([1, 2, 3, 250]), layoutOnly(owner), { target, anchor: 'a'.repeat(32), tags })
    item.getRaw().set(Uint8Array.from({ length: 512 }, (_, i) => 255 - (i & 0xff)), 2)
    const parsed = parseDataItem(new Uint8Array(item.getRaw()))
    expect(parsed.signatureType).toBe(1)
    expect(parsed.id).toBe(item.id)
    expect(Buffer.from(parsed.signature)).toEqual(item.rawSignature)
    expect(Buffer.from(parsed.owner)).toEqual(item.rawOwner)
    expect(toBase64Url(parsed.target)).toBe(target)
    expect(new TextDecoder().decode(parsed.anchor)).toBe('a'.repeat(32))
    expect(parsed.tags).toEqual(tags)
    expect(Buffer.from(parsed.rawTags)).toEqual(item.rawTags)
    expect([...parsed.data]).toEqual([1, 2, 3, 250])
  })

  it('reads an item without target, anchor, tags or data', () => {
    const item = createData('', layoutOnly(owner))
    const parsed = parseDataItem(new Uint8Array(item.getRaw()))
    expect([parsed.target.length, parsed.anchor.length, parsed.tags.length, parsed.rawTags.length, parsed.data.length]).toEqual([0, 0, 0, 0, 0])
  })

  it('names what is wrong with bytes that are not a data item', () => {
    const raw = new Uint8Array(createData('hello', layoutOnly(owner), { tags }).getRaw())
    const error = (bytes: Uint8Array) => {
      try {
        parseDataItem(bytes)
      } catch (e) {
        expect(e).toBeInstanceOf(DataItemFormatError)
        return (e as Error).message
      }
      return 'parsed'
    }
    expect(error(new Uint8Array([1]))).toMatch(/at least 2 bytes/)
    expect(error(Uint8Array.from([99, 0, ...raw.subarray(2)]))).toMatch(/signature type 99/)
    expect(error(raw.subarray(0, 700))).toMatch(/ends inside its owner/)
    const badFlag = raw.slice()
    badFlag[2 + 512 + 512] = 2
    expect(error(badFlag)).toMatch(/target flag is 2/)
    const tagsAt = 2 + 512 + 512 + 2
    const badCount = raw.slice()
    badCount[tagsAt] = tags.length + 1
    expect(error(badCount)).toMatch(/says it has 6 tags, its tag bytes hold 5/)
    const tooMany = raw.slice()
    tooMany.set([0x01, 0x10, 0, 0, 0, 0, 0, 0], tagsAt + 8)
    expect(error(tooMany)).toMatch(/4097 bytes, more than the 4096/)
  })
})

describe('Avro tags', () => {
  it('encodes exactly as arbundles does, and decodes its bytes', () => {
    for (const list of [tags, [{ name: 'A', value: 'B' }], Array.from({ length: 70 }, (_, i) => ({ name: `n${i}`, value: 'v'.repeat(i) }))]) {
      const ours = encodeAvroTags(list)
      expect(Buffer.from(ours)).toEqual(serializeTags(list))
      expect(decodeAvroTags(ours)).toEqual(deserializeTags(Buffer.from(ours)))
      expect(decodeAvroTags(ours)).toEqual(list)
    }
    expect(encodeAvroTags([]).length).toBe(0)
    expect(decodeAvroTags(new Uint8Array(0))).toEqual([])
  })

  it('decodes several blocks, and blocks with a negative count and a byte size', () => {
    // block 1: count 1 ("a"="b"); block 2: count -1 with size 4 ("c"="d"); end.
    const bytes = Uint8Array.from([2, 2, 97, 2, 98, 1, 8, 2, 99, 2, 100, 0])
    expect(decodeAvroTags(bytes)).toEqual([
      { name: 'a', value: 'b' },
      { name: 'c', value: 'd' },
    ])
  })

  it('refuses tag bytes that end early or go on after the array', () => {
    expect(() => decodeAvroTags(Uint8Array.from([2, 2, 97]))).toThrow(/end/)
    expect(() => decodeAvroTags(Uint8Array.from([2, 2, 97, 2, 98, 0, 7]))).toThrow(/end at byte 6 of 7/)
    expect(() => decodeAvroTags(Uint8Array.from([2, 0x80]))).toThrow(/middle of a number/)
  })
})
