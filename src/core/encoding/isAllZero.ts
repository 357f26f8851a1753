/** Whether every byte is zero (a fresh heap is mostly zeros): a word at a time where aligned. */
export function isAllZero(bytes: Uint8Array): boolean {
  // Bytes up to a 4-byte boundary, then words, then the bytes after the last word.
  const head = (4 - (bytes.byteOffset % 4)) % 4
  if (bytes.byteLength <= head) return bytes.every((b) => b === 0)
  for (let i = 0; i < head; i++) if (bytes[i] !== 0) return false
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + head, (bytes.byteLength - head) >> 2)
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false
  for (let i = head + words.length * 4; i < bytes.byteLength; i++) if (bytes[i] !== 0) return false
  return true
}
