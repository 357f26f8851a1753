/** Whether `bytes` start with the gzip magic number (1f 8b): a body still compressed, not decoded on the way. */
export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b
