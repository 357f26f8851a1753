/** Gzip-compresses `bytes` (CompressionStream: browsers and Node alike). */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream('gzip'))
}

/**
 * Decompresses a gzip body.
 *
 * @throws TypeError when `bytes` is not a complete, intact gzip stream (its CRC is checked)
 */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new DecompressionStream('gzip'))
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform)
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** Whether `bytes` start with the gzip magic number (1f 8b): a body still compressed, not decoded on the way. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b
}
