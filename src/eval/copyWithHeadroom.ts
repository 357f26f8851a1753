/** `ArrayBuffer` with the resizable-buffer API (ES2024; Node 20 and current browsers have it). */
type ResizableBuffer = ArrayBuffer & { readonly resizable?: boolean; readonly maxByteLength?: number; resize?(length: number): void }
type ResizableConstructor = new (length: number, options: { maxByteLength: number }) => ResizableBuffer

/**
 * Copies `memory` into `reuse`'s buffer, growing it in place when the memory grew: a fresh
 * large buffer costs a page fault per page touched (hundreds of ms for 100 MiB), growing one
 * costs that only for the new part. Buffers are made resizable up to `maxLength` (where the
 * platform has resizable buffers; else with a quarter of headroom).
 *
 * @returns a view of exactly `memory.byteLength` bytes
 */
export function copyWithHeadroom(memory: Uint8Array, reuse: Uint8Array | undefined, maxLength: number): Uint8Array {
  const length = memory.byteLength
  const buffer = reuse?.byteOffset === 0 ? (reuse.buffer as ResizableBuffer) : undefined
  if (buffer && buffer.byteLength < length && buffer.resizable && (buffer.maxByteLength ?? 0) >= length) buffer.resize!(length)
  if (buffer && buffer.byteLength >= length) {
    const view = new Uint8Array(buffer, 0, length)
    view.set(memory)
    return view
  }
  const view = new Uint8Array(allocate(length, Math.max(length, maxLength)), 0, length)
  view.set(memory)
  return view
}

function allocate(length: number, maxLength: number): ArrayBuffer {
  const probe = new ArrayBuffer(0) as ResizableBuffer
  if ('resizable' in probe) {
    try {
      return new (ArrayBuffer as unknown as ResizableConstructor)(length, { maxByteLength: maxLength })
    } catch {
      // Address space for maxLength refused: a plain buffer below.
    }
  }
  const page = 65_536
  return new ArrayBuffer(Math.ceil((length + Math.min(length / 4, 16 * 1024 * 1024)) / page) * page)
}
