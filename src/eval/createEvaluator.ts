import type { EvaluatorMode } from '../core/evaluator/evaluatorMode.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import { createAssemblyScriptEngine, prepareAssemblyScriptModule } from './assemblyscript/createAssemblyScriptEngine.ts'
import { createCopyingEvaluator } from './createCopyingEvaluator.ts'
import { createHotEvaluator, type HotEvaluatorOptions } from './createHotEvaluator.ts'
import { createCuStyleEmscriptenEvaluator } from './emscripten/createCuStyleEmscriptenEvaluator.ts'
import { createEmscriptenEngine } from './emscripten/createEmscriptenEngine.ts'
import { loadAoLoader } from './emscripten/loadAoLoader.ts'
import { ModuleCompileError } from './errors.ts'
import type { Evaluator } from './types.ts'

export type { EvaluatorMode }

/** Options of `createEvaluator`. */
export type CreateEvaluatorOptions = { mode?: EvaluatorMode; tuning?: HotEvaluatorOptions }

/**
 * Compiles module bytes for a format: AssemblyScript modules are first rewritten to export
 * their mutable globals (for snapshots); metering formats are metered by ao-loader's compile.
 *
 * @throws ModuleCompileError when the bytes are not a valid module
 */
export async function compileModule(bytes: Uint8Array, options: ModuleOptions): Promise<WebAssembly.Module> {
  try {
    if (options.format === 'wasm32-unknown-assemblyscript') return await prepareAssemblyScriptModule(bytes)
    if (options.format.endsWith('-metering')) await loadAoLoader()
    const compile = WebAssembly.compile as (bytes: BufferSource, importObject?: { format: string }) => Promise<WebAssembly.Module>
    return await compile(bytes as Uint8Array<ArrayBuffer>, { format: options.format })
  } catch (error) {
    throw new ModuleCompileError(
      `The module bytes are not a valid ${options.format} WebAssembly module (${error instanceof Error ? error.message : String(error)})`,
      { details: 'The gateway may have served the wrong bytes for this module id: check the id, or try another gateway.', cause: error },
    )
  }
}

/**
 * Creates an evaluator for a module: by Module-Format, ao-loader (emscripten formats) or the
 * AssemblyScript loader, hot by default.
 *
 * @param wasm the module bytes, or a module compiled by `compileModule`
 * @param options the module's options (`moduleOptionsFromTags`)
 * @throws ModuleCompileError when the bytes do not compile
 */
export async function createEvaluator(
  wasm: Uint8Array | WebAssembly.Module,
  options: ModuleOptions,
  { mode = 'hot', tuning = {} }: CreateEvaluatorOptions = {},
): Promise<Evaluator> {
  const compiled = wasm instanceof WebAssembly.Module ? wasm : await compileModule(wasm, options)
  if (options.format === 'wasm32-unknown-assemblyscript') {
    const engine = await createAssemblyScriptEngine(compiled, options)
    return mode === 'hot' ? createHotEvaluator(engine, options, tuning) : createCopyingEvaluator(engine, options)
  }
  if (mode === 'cu') return createCuStyleEmscriptenEvaluator(compiled, options)
  return createHotEvaluator(await createEmscriptenEngine(compiled, options), options, tuning)
}
