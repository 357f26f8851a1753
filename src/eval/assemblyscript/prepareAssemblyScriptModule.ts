import { exportMutableGlobals } from './exportMutableGlobals.ts'
import { findGrowFailureTraps } from './findGrowFailureTraps.ts'
import { readMemoryImport, type MemoryImport } from './readMemoryImport.ts'

/** What `createAssemblyScriptEngine` needs to know about a prepared module. */
export type PreparedModuleInfo = {
  memoryImport: MemoryImport | undefined
  /** Offsets of the `unreachable`s the allocator reaches when memory cannot grow (see `findGrowFailureTraps`). */
  growFailureTraps: Set<number>
}

const prepared = new WeakMap<WebAssembly.Module, PreparedModuleInfo>()

/**
 * Compiles an AssemblyScript module (`wasm32-unknown-assemblyscript`) for
 * `createAssemblyScriptEngine`: its mutable globals are exported first (see
 * `exportMutableGlobals`), so snapshots can capture the allocator and GC state kept there,
 * and its memory import is recorded, so the engine can provide that memory with
 * `Memory-Limit` as its maximum, and so can tell a trap for want of memory from other traps. Call it in the realm that creates the engine: the record
 * does not travel with a module posted to another worker.
 * @param bytes the module binary as deployed
 * @returns the compiled, rewritten module
 * @throws RangeError on a malformed binary; a `WebAssembly.CompileError` when it does not compile
 */
export async function prepareAssemblyScriptModule(bytes: Uint8Array): Promise<WebAssembly.Module> {
  const rewritten = exportMutableGlobals(bytes)
  const module = await WebAssembly.compile(rewritten as Uint8Array<ArrayBuffer>)
  prepared.set(module, { memoryImport: readMemoryImport(rewritten), growFailureTraps: findGrowFailureTraps(rewritten) })
  return module
}

/** What `prepareAssemblyScriptModule` recorded about `module`, or undefined when it did not compile it. */
export function preparedModuleInfo(module: WebAssembly.Module): PreparedModuleInfo | undefined {
  return prepared.get(module)
}
