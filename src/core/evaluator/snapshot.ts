import type { ModuleFormat } from '../module/types.ts'

/**
 * A snapshot of the whole state of an instance: linear memory and, for formats that keep
 * state outside memory (AssemblyScript keeps allocator and GC state in wasm globals),
 * the values of its mutable globals, in declaration order. Evaluators take and restore it;
 * the store keeps it as a checkpoint.
 */
export type Snapshot = {
  format: ModuleFormat
  memory: Uint8Array
  globals?: Array<number | bigint>
}
