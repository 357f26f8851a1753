import { copyWithHeadroom } from '../copyWithHeadroom.ts'
import type { AoEnv, AoMessage, EvalResult } from '../../core/message/types.ts'
import type { Snapshot } from '../../core/evaluator/snapshot.ts'
import { InstanceBrokenError, ModuleInterfaceError } from '../errors.ts'
import type { Engine, EngineFactory, ModuleOptions } from '../types.ts'
import { adaptMemory64 } from './adaptMemory64.ts'
import { createHostFaults, type HostFaults } from './hostFaults.ts'
import { weaveDriveOptions } from './weaveDrive.ts'
import { loadAoLoader, type AoLoaderHandle, type AoLoaderResult, type InstantiateWasm } from './loadAoLoader.ts'

type Live = { handle: AoLoaderHandle; memory: () => WebAssembly.Memory; faults: HostFaults }

/**
 * An engine for emscripten modules (every `wasm32/64-unknown-emscripten*` format) on
 * `@permaweb/ao-loader`, the CU's own evaluator, kept hot: one instance with
 * `UNSAFE_MEMORY`, so no memory is copied between messages. Memory is copied only for
 * snapshots; a snapshot restored into a fresh instance is handed to ao-loader with the
 * next message, exactly as a CU hands it a checkpoint.
 */
export const createEmscriptenEngine: EngineFactory = async (wasm, options) => {
  const realLog = console.log
  let live: Live = await instantiate(wasm, options)
  let pending: Uint8Array | null = null
  let broken = false
  // Whether the instance has run a message: a fresh one is what the CU loads a checkpoint into.
  let used = false

  return {
    async handle(msg: AoMessage, env: AoEnv): Promise<EvalResult> {
      if (broken) throw new InstanceBrokenError()
      const memory = pending
      pending = null
      used = true
      try {
        const result = toEvalResult(await live.handle(memory, msg, env))
        live.faults.check()
        return result
      } catch (error) {
        broken = true
        live.faults.check()
        throw error
      } finally {
        // ao-loader mutes console.log during a call and leaves it muted when the call throws.
        console.log = realLog
      }
    },
    snapshot(reuse?: Snapshot | null): Snapshot {
      const memory = pending ?? heap(live)
      return { format: options.format, memory: reuse === undefined ? memory.slice() : copyWithHeadroom(memory, reuse?.memory, Math.min(options.memoryLimit, 4 * 1024 ** 3)) }
    },
    async restore(snapshot: Snapshot | null): Promise<void> {
      if (snapshot && !broken && heap(live).byteLength === snapshot.memory.byteLength) {
        heap(live).set(snapshot.memory)
        pending = null
        return
      }
      if (snapshot && !broken && !used && snapshot.memory.byteLength >= heap(live).byteLength) {
        // Still fresh: the memory goes in with the next message (ao-loader grows the heap to it).
        pending = snapshot.memory.slice()
        return
      }
      live = await instantiate(wasm, options)
      used = false
      broken = false
      pending = snapshot && snapshot.memory.byteLength > 0 ? snapshot.memory.slice() : null
      if (pending && heap(live).byteLength === pending.byteLength) {
        heap(live).set(pending)
        pending = null
      }
    },
    memory(): Uint8Array {
      return pending ?? heap(live)
    },
    dispose(): void {
      pending = null
    },
  } satisfies Engine
}

function heap(live: Live): Uint8Array {
  return new Uint8Array(live.memory().buffer)
}

/** Creates an ao-loader instance of a compiled module and finds its linear memory. */
async function instantiate(wasm: WebAssembly.Module, options: ModuleOptions): Promise<Live> {
  const AoLoader = await loadAoLoader()
  let memory: WebAssembly.Memory | undefined
  const faults = createHostFaults()
  const instantiateWasm: InstantiateWasm = (imports, receiveInstance) => {
    void WebAssembly.instantiate(wasm, imports).then((instance) => {
      adaptMemory64(instance.exports, options.format, faults)
      memory = findMemory(instance.exports) ?? findImportedMemory(imports)
      receiveInstance(instance, wasm)
    })
    return {}
  }
  const handle = await AoLoader(instantiateWasm, aoLoaderOptions(options, faults, { UNSAFE_MEMORY: true }))
  return {
    handle,
    faults,
    memory: () => {
      if (!memory) throw new ModuleInterfaceError('the module exports no linear memory')
      return memory
    },
  }
}

/**
 * The options ao-loader takes, from a module's options (a fresh object: ao-loader mutates it),
 * with the extensions the CU attaches (WeaveDrive) reporting to `faults`.
 */
export function aoLoaderOptions(options: ModuleOptions, faults: HostFaults, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...weaveDriveOptions(options, faults),
    format: options.format,
    inputEncoding: 'JSON-1',
    outputEncoding: 'JSON-1',
    memoryLimit: String(options.memoryLimit),
    computeLimit: options.computeLimit,
    extensions: options.extensions,
    ...extra,
  }
}

function findMemory(values: Record<string, unknown>): WebAssembly.Memory | undefined {
  return Object.values(values).find((v): v is WebAssembly.Memory => v instanceof WebAssembly.Memory)
}

function findImportedMemory(imports: WebAssembly.Imports): WebAssembly.Memory | undefined {
  for (const group of Object.values(imports)) {
    const found = findMemory(group as Record<string, unknown>)
    if (found) return found
  }
  return undefined
}

/** ao-loader's result without Memory, in the EvalResult shape. */
function toEvalResult(result: AoLoaderResult): EvalResult {
  const out: EvalResult = {
    Output: result.Output,
    Messages: (result.Messages ?? []) as EvalResult['Messages'],
    Spawns: (result.Spawns ?? []) as EvalResult['Spawns'],
    Assignments: (result.Assignments ?? []) as EvalResult['Assignments'],
  }
  if (result.Error !== undefined) out.Error = result.Error
  if (result.GasUsed !== undefined) out.GasUsed = result.GasUsed
  return out
}
