/** The kinds of JSON value. */
export const enum Kind {
  Null = 0,
  Bool = 1,
  Num = 2,
  Str = 3,
  Arr = 4,
  Obj = 5,
}

/**
 * A parsed JSON value. Numbers keep their source text (`str`) so nothing is lost to floats;
 * objects keep their keys in source order.
 */
export class JValue {
  kind: Kind = Kind.Null
  bool: bool = false
  str: string = ''
  items: Array<JValue> = []
  keys: Array<string> = []

  /** The member `key` of an object, or null when absent or not an object. */
  get(key: string): JValue | null {
    if (this.kind != Kind.Obj) return null
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] == key) return this.items[i]
    }
    return null
  }

  /** The string member `key`, or `fallback` when absent or not a string. */
  getString(key: string, fallback: string = ''): string {
    const v = this.get(key)
    if (v == null || v.kind != Kind.Str) return fallback
    return v.str
  }
}

/** Parses JSON text; aborts on malformed input. */
export function parseJson(text: string): JValue {
  const p = new Parser(text)
  p.skipSpace()
  const v = p.value()
  p.skipSpace()
  if (p.pos != text.length) throw new Error('JSON: trailing characters')
  return v
}

class Parser {
  pos: i32 = 0
  constructor(public text: string) {}

  peek(): i32 {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos)
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break
      this.pos++
    }
  }

  expect(c: i32): void {
    if (this.peek() != c) throw new Error('JSON: unexpected character at ' + this.pos.toString())
    this.pos++
  }

  literal(word: string): void {
    if (this.text.substr(this.pos, word.length) != word) throw new Error('JSON: bad literal at ' + this.pos.toString())
    this.pos += word.length
  }

  value(): JValue {
    const c = this.peek()
    const v = new JValue()
    if (c == 0x7b) {
      v.kind = Kind.Obj
      this.pos++
      this.skipSpace()
      if (this.peek() == 0x7d) {
        this.pos++
        return v
      }
      while (true) {
        this.skipSpace()
        v.keys.push(this.string())
        this.skipSpace()
        this.expect(0x3a)
        this.skipSpace()
        v.items.push(this.value())
        this.skipSpace()
        if (this.peek() == 0x2c) {
          this.pos++
          continue
        }
        this.expect(0x7d)
        return v
      }
    }
    if (c == 0x5b) {
      v.kind = Kind.Arr
      this.pos++
      this.skipSpace()
      if (this.peek() == 0x5d) {
        this.pos++
        return v
      }
      while (true) {
        this.skipSpace()
        v.items.push(this.value())
        this.skipSpace()
        if (this.peek() == 0x2c) {
          this.pos++
          continue
        }
        this.expect(0x5d)
        return v
      }
    }
    if (c == 0x22) {
      v.kind = Kind.Str
      v.str = this.string()
      return v
    }
    if (c == 0x74) {
      this.literal('true')
      v.kind = Kind.Bool
      v.bool = true
      return v
    }
    if (c == 0x66) {
      this.literal('false')
      v.kind = Kind.Bool
      return v
    }
    if (c == 0x6e) {
      this.literal('null')
      return v
    }
    const start = this.pos
    while (this.pos < this.text.length) {
      const d = this.text.charCodeAt(this.pos)
      const numeric = (d >= 0x30 && d <= 0x39) || d == 0x2d || d == 0x2b || d == 0x2e || d == 0x65 || d == 0x45
      if (!numeric) break
      this.pos++
    }
    if (this.pos == start) throw new Error('JSON: unexpected character at ' + start.toString())
    v.kind = Kind.Num
    v.str = this.text.substring(start, this.pos)
    return v
  }

  string(): string {
    this.expect(0x22)
    const parts = new Array<string>()
    let runStart = this.pos
    while (true) {
      if (this.pos >= this.text.length) throw new Error('JSON: unterminated string')
      const c = this.text.charCodeAt(this.pos)
      if (c == 0x22) {
        parts.push(this.text.substring(runStart, this.pos))
        this.pos++
        break
      }
      if (c != 0x5c) {
        this.pos++
        continue
      }
      parts.push(this.text.substring(runStart, this.pos))
      const e = this.text.charCodeAt(this.pos + 1)
      this.pos += 2
      if (e == 0x6e) parts.push('\n')
      else if (e == 0x74) parts.push('\t')
      else if (e == 0x72) parts.push('\r')
      else if (e == 0x62) parts.push('\b')
      else if (e == 0x66) parts.push('\f')
      else if (e == 0x75) {
        const hex = this.text.substr(this.pos, 4)
        if (hex.length != 4) throw new Error('JSON: bad unicode escape')
        parts.push(String.fromCharCode(<i32>I32.parseInt(hex, 16)))
        this.pos += 4
      } else parts.push(String.fromCharCode(e))
      runStart = this.pos
    }
    return parts.length == 1 ? parts[0] : parts.join('')
  }
}

const HEX = '0123456789abcdef'

/** `s` as a JSON string literal, quotes included. */
export function quote(s: string): string {
  let plain = true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c == 0x22 || c == 0x5c) {
      plain = false
      break
    }
  }
  if (plain) return '"' + s + '"'
  const parts = new Array<string>()
  parts.push('"')
  let runStart = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue
    parts.push(s.substring(runStart, i))
    if (c == 0x22) parts.push('\\"')
    else if (c == 0x5c) parts.push('\\\\')
    else if (c == 0x0a) parts.push('\\n')
    else if (c == 0x0d) parts.push('\\r')
    else if (c == 0x09) parts.push('\\t')
    else parts.push('\\u00' + HEX.charAt(c >> 4) + HEX.charAt(c & 15))
    runStart = i + 1
  }
  parts.push(s.substring(runStart))
  parts.push('"')
  return parts.join('')
}
