/** A WebAssembly section as found in a module binary: its id and where its bytes lie. */
export type WasmSection = {
  id: number
  /** Offset of the section's id byte. */
  start: number
  /** Offset of the section's content (after id and size). */
  contentStart: number
  /** Offset just past the section. */
  end: number
}

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]

/**
 * A cursor over WebAssembly binary bytes that decodes the encodings of the binary format
 * (LEB128 integers, names, limits, value types, constant expressions).
 * Every read throws a `RangeError` when it would run past the end.
 */
export class WasmReader {
  pos: number

  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos
  }

  /** Reads one byte. */
  byte(): number {
    const b = this.bytes[this.pos]
    if (b === undefined) throw new RangeError(`wasm binary ends unexpectedly at offset ${this.pos}`)
    this.pos++
    return b
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    if (this.pos + n > this.bytes.length) throw new RangeError(`wasm binary ends unexpectedly at offset ${this.pos}`)
    this.pos += n
  }

  /** Reads an unsigned LEB128 integer of up to 64 bits (as a number; exact up to 2^53). */
  u(): number {
    let result = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      const b = this.byte()
      result += (b & 0x7f) * scale
      if ((b & 0x80) === 0) return result
      scale *= 128
    }
    throw new RangeError(`LEB128 integer too long at offset ${this.pos}`)
  }

  /** Skips a signed LEB128 integer. */
  skipSigned(): void {
    for (let i = 0; i < 10; i++) {
      if ((this.byte() & 0x80) === 0) return
    }
    throw new RangeError(`LEB128 integer too long at offset ${this.pos}`)
  }

  /** Reads a UTF-8 name (length-prefixed). */
  name(): string {
    const length = this.u()
    const start = this.pos
    this.skip(length)
    return new TextDecoder().decode(this.bytes.subarray(start, this.pos))
  }

  /** Reads limits (memory or table): minimum and optional maximum. */
  limits(): { min: number; max: number | undefined } {
    const flags = this.byte()
    const min = this.u()
    const max = flags & 1 ? this.u() : undefined
    return { min, max }
  }

  /** Reads a value type; returns its first byte (reference types with a heap type are skipped whole). */
  valType(): number {
    const t = this.byte()
    if (t === 0x63 || t === 0x64) this.skipSigned()
    return t
  }

  /** Skips a constant expression up to and including its `end`. */
  skipConstExpr(): void {
    for (;;) {
      const op = this.byte()
      switch (op) {
        case 0x0b:
          return
        case 0x41:
        case 0x42:
        case 0xd0:
          this.skipSigned()
          break
        case 0x43:
          this.skip(4)
          break
        case 0x44:
          this.skip(8)
          break
        case 0x23:
        case 0xd2:
          this.u()
          break
        case 0x6a:
        case 0x6b:
        case 0x6c:
        case 0x7c:
        case 0x7d:
        case 0x7e:
          break
        case 0xfd:
          if (this.u() !== 12) throw new RangeError(`unsupported SIMD opcode in a constant expression at offset ${this.pos}`)
          this.skip(16)
          break
        default:
          throw new RangeError(`unsupported opcode 0x${op.toString(16)} in a constant expression at offset ${this.pos - 1}`)
      }
    }
  }

  /** Checks the module header and lists its sections in order. */
  sections(): WasmSection[] {
    MAGIC_AND_VERSION.forEach((b, i) => {
      if (this.bytes[i] !== b) throw new RangeError('not a WebAssembly module (bad magic or version)')
    })
    this.pos = MAGIC_AND_VERSION.length
    const out: WasmSection[] = []
    while (this.pos < this.bytes.length) {
      const start = this.pos
      const id = this.byte()
      const size = this.u()
      const contentStart = this.pos
      this.skip(size)
      out.push({ id, start, contentStart, end: this.pos })
    }
    return out
  }
}
