/** A blob, or a list of chunks: what Arweave's deep hash takes. */
export type DeepHashChunk = Uint8Array | readonly DeepHashChunk[]

/** SHA-384 of bytes, sync or async (e.g. WebCrypto's `digest('SHA-384', …)`). */
export type Sha384 = (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>

const encoder = new TextEncoder()

/**
 * Arweave's deep hash (the message an ANS-104 or Arweave signature signs). A blob hashes to
 * sha384(sha384("blob" ‖ decimal length) ‖ sha384(blob)); a list of n chunks starts from
 * sha384("list" ‖ decimal n) and folds each chunk in as acc = sha384(acc ‖ deepHash(chunk)).
 *
 * @param sha384 the hash to use, injected so the core stays free of platform crypto
 * @returns the 48-byte digest
 */
export async function deepHash(chunk: DeepHashChunk, sha384: Sha384): Promise<Uint8Array> {
  if (chunk instanceof Uint8Array) {
    const tag = await sha384(encoder.encode(`blob${chunk.byteLength}`))
    return sha384(concat(tag, await sha384(chunk)))
  }
  let acc = await sha384(encoder.encode(`list${chunk.length}`))
  for (const item of chunk) acc = await sha384(concat(acc, await deepHash(item, sha384)))
  return acc
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}
