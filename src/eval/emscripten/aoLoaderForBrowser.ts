import * as bufferModule from 'buffer'
import type { AoLoaderVersion } from '../../core/host/types.ts'
import { evaluateCommonJs, patchAoLoaderSource } from './patchAoLoaderSource.ts'

// Each version's published file is its own chunk, fetched only when a realm uses it.
const sources: Record<AoLoaderVersion, () => Promise<{ default: string }>> = {
  '0.0.49': () => import('@permaweb/ao-loader/dist/index.cjs?raw'),
  '0.0.44': () => import('ao-loader-0.0.44/dist/index.cjs?raw'),
}

/**
 * ao-loader for a browser realm. Its emscripten2 glue assigns to a property it made
 * getter-only (`Module.thisProgram`): harmless in the sloppy-mode CommonJS it is published as,
 * a TypeError once a bundler turns it into a (strict) ES module. So the published file is run
 * as it is, as sloppy code, with a `require` that gives it the `buffer` polyfill and empty
 * objects for the Node built-ins it only touches on Node. Needs no CSP, or 'unsafe-eval'.
 * On Node the glues name the program after `process.argv[1]`; in a browser they never read it,
 * so each glue's default program name is replaced by `programPath` (`patchAoLoaderSource`).
 *
 * @param version which bundled ao-loader (0.0.49 is Holoscope's; 0.0.44 the official CU's pin)
 * @param programPath the program name the glues write into memory (their default: `./this.program`)
 */
export async function aoLoaderForBrowser(version: AoLoaderVersion = '0.0.49', programPath = './this.program'): Promise<unknown> {
  const { default: source } = await sources[version]()
  return evaluateCommonJs(patchAoLoaderSource(source, version, programPath), { require: (name) => (name === 'buffer' ? bufferModule : {}) })
}
