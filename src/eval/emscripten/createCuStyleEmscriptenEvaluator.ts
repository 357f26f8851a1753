import type { AoEnv, AoMessage, EvalResult } from '../../core/message/types.ts'
import { cuResult, rollsBack, thrownResult } from '../cuResult.ts'
import type { Snapshot } from '../../core/evaluator/snapshot.ts'
import type { Evaluator, ModuleOptions } from '../types.ts'
import { EvaluatorHostError, ModuleInterfaceError } from '../errors.ts'
import { adaptMemory64 } from './adaptMemory64.ts'
import { createHostFaults, type HostFaults } from './hostFaults.ts'
import { aoLoaderOptions } from './createEmscriptenEngine.ts'
import { loadAoLoader, type AoLoaderHandle, type InstantiateWasm } from './loadAoLoader.ts'

/**
 * ao-loader called the way a CU calls it: the process memory is passed in and copied out on
 * every message; a result with `Error` keeps the previous memory and replaces the instance.
 * This is the reference the hot evaluator is checked against, and the baseline it is
 * measured against. Dry-runs run on a separate instance, as the CU's dry-run pool does.
 */
export async function createCuStyleEmscriptenEvaluator(wasm: WebAssembly.Module, options: ModuleOptions): Promise<Evaluator> {
  const realLog = console.log
  let initial: WebAssembly.Memory | undefined
  // Each instance's host faults, checked after every call into it.
  const faultsOf = new WeakMap<AoLoaderHandle, HostFaults>()
  const load = async (): Promise<AoLoaderHandle> => {
    const AoLoader = await loadAoLoader()
    const faults = createHostFaults()
    const instantiateWasm: InstantiateWasm = (imports, receiveInstance) => {
      void WebAssembly.instantiate(wasm, imports).then((instance) => {
        adaptMemory64(instance.exports, options.format, faults)
        initial ??= Object.values(instance.exports).find((v): v is WebAssembly.Memory => v instanceof WebAssembly.Memory)
        receiveInstance(instance, wasm)
      })
      return {}
    }
    const loaded = await AoLoader(instantiateWasm, aoLoaderOptions(options, faults))
    faultsOf.set(loaded, faults)
    return loaded
  }
  let handle = await load()
  let dryRunHandle: AoLoaderHandle | undefined
  let memory: Uint8Array | null = null

  async function call(target: AoLoaderHandle, msg: AoMessage, env: AoEnv): Promise<[EvalResult, Uint8Array | null]> {
    try {
      const raw = await target(memory, msg, env)
      faultsOf.get(target)?.check()
      // ao-loader's Memory is already its own copy (HEAPU8.slice()): keep it, do not copy it again.
      return [cuResult(raw as Partial<EvalResult>), raw.Memory instanceof Uint8Array ? raw.Memory : new Uint8Array(raw.Memory)]
    } catch (error) {
      if (error instanceof EvaluatorHostError) throw error
      faultsOf.get(target)?.check()
      return [thrownResult(error), null]
    } finally {
      console.log = realLog
    }
  }

  const current = (): Uint8Array => {
    if (memory) return memory
    if (!initial) throw new ModuleInterfaceError('the module exports no linear memory')
    return new Uint8Array(initial.buffer)
  }

  return {
    options,
    async evaluate(msg, env) {
      const [result, next] = await call(handle, msg, env)
      if (!rollsBack(result) && next) memory = next
      if (result.Error !== undefined) handle = await load()
      return result
    },
    async query(msg, env) {
      dryRunHandle ??= await load()
      const [result] = await call(dryRunHandle, msg, env)
      return result
    },
    snapshot(): Snapshot {
      return { format: options.format, memory: current().slice() }
    },
    async restore(snapshot) {
      memory = snapshot ? snapshot.memory.slice() : null
      handle = await load()
    },
    memory: current,
    dispose() {
      memory = null
    },
  }
}
