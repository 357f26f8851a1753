import type { AoLoaderVersion } from '../../core/host/types.ts'
import { AoLoaderPatchError } from '../errors.ts'

// Where each glue starts its program name, before Node's argv[1] would replace it.
const programDefault = /\b(let|var) thisProgram = "\.\/this\.program";/g
// ao-loader 0.0.44's handle copies the whole memory into every result; 0.0.49 skips the copy under UNSAFE_MEMORY.
const copiedMemory = 'Memory: instance.HEAPU8.slice(),'

/**
 * ao-loader's published CommonJS, changed where Holoscope needs it and nowhere the module's
 * execution can tell: with `programPath`, each glue's default program name is replaced by it (a
 * browser's glue never reads `process.argv[1]`); in 0.0.44, `handle` honours `UNSAFE_MEMORY` as
 * 0.0.49 does (its result's `Memory` is the live buffer instead of a copy, which cost a hot
 * evaluator 48 of its 50 ms per message on a 16 MiB memory). Without UNSAFE_MEMORY (the CU
 * way) it copies as published.
 *
 * @throws AoLoaderPatchError when the source does not have what is to be changed (another ao-loader build)
 */
export function patchAoLoaderSource(source: string, version: AoLoaderVersion, programPath?: string): string {
  let patched = source
  if (programPath !== undefined) {
    if (patched.search(programDefault) < 0) throw new AoLoaderPatchError(version, "its glues' program name was not found, so a host profile cannot be applied here")
    patched = patched.replace(programDefault, (_, keyword: string) => `${keyword} thisProgram = ${JSON.stringify(programPath)};`)
  }
  if (version === '0.0.44') {
    if (patched.split(copiedMemory).length !== 2) throw new AoLoaderPatchError(version, "its handle's memory copy was not found where expected")
    patched = patched.replace(copiedMemory, 'Memory: options.UNSAFE_MEMORY === true ? instance.HEAPU8.buffer : instance.HEAPU8.slice(),')
  }
  return patched
}

/** What a CommonJS module sees: its `require`, and (on Node) its file and folder. */
export type CommonJsScope = { require: (name: string) => unknown; filename?: string; dirname?: string }

/** Runs CommonJS source as sloppy-mode code, as Node's module wrapper does, and returns its exports. */
export function evaluateCommonJs(source: string, scope: CommonJsScope): unknown {
  const module = { exports: {} as unknown }
  new Function('module', 'exports', 'require', '__filename', '__dirname', source)(module, module.exports, scope.require, scope.filename, scope.dirname)
  return module.exports
}
