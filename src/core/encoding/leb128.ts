/**
 * `value` (a non-negative whole number) as unsigned LEB128: base-128 groups, least significant
 * first, the high bit set on all but the last (WebAssembly's integers, Avro's longs after
 * zig-zag). Arithmetic rather than bit operations: values may pass 2^31.
 */
export function encodeUnsignedLeb128(value: number): number[] {
  const out: number[] = []
  let rest = value
  do {
    let byte = rest % 128
    rest = Math.floor(rest / 128)
    if (rest > 0) byte |= 0x80
    out.push(byte)
  } while (rest > 0)
  return out
}
