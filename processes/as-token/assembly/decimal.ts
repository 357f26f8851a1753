/** True when `s` is a valid token quantity: only ASCII digits, at least one of them non-zero. */
export function isQuantity(s: string): bool {
  if (s.length == 0) return false
  let nonZero = false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return false
    if (c != 0x30) nonZero = true
  }
  return nonZero
}

/** `s` (ASCII digits) without leading zeros; `"0"` for zero or empty. */
export function normalize(s: string): string {
  let i = 0
  while (i < s.length - 1 && s.charCodeAt(i) == 0x30) i++
  if (s.length == 0) return '0'
  return i == 0 ? s : s.substring(i)
}

/** Compares two normalized decimal strings: -1, 0 or 1. */
export function compare(a: string, b: string): i32 {
  if (a.length != b.length) return a.length < b.length ? -1 : 1
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x != y) return x < y ? -1 : 1
  }
  return 0
}

/** The sum of two normalized decimal strings. */
export function add(a: string, b: string): string {
  const n = max(a.length, b.length) + 1
  const out = new Array<i32>(n)
  let carry = 0
  let ia = a.length - 1
  let ib = b.length - 1
  for (let k = n - 1; k >= 0; k--) {
    let d = carry
    if (ia >= 0) d += a.charCodeAt(ia--) - 0x30
    if (ib >= 0) d += b.charCodeAt(ib--) - 0x30
    carry = d >= 10 ? 1 : 0
    out[k] = 0x30 + d - carry * 10
  }
  return normalize(String.fromCharCodes(out))
}

/** `a - b` for normalized decimal strings with `a >= b`. */
export function subtract(a: string, b: string): string {
  const n = a.length
  const out = new Array<i32>(n)
  let borrow = 0
  let ib = b.length - 1
  for (let k = n - 1; k >= 0; k--) {
    let d = a.charCodeAt(k) - 0x30 - borrow
    if (ib >= 0) d -= b.charCodeAt(ib--) - 0x30
    borrow = d < 0 ? 1 : 0
    out[k] = 0x30 + d + borrow * 10
  }
  return normalize(String.fromCharCodes(out))
}
