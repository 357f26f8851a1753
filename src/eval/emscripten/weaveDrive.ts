import type { ModuleOptions } from '../types.ts'
import type { HostFaults } from './hostFaults.ts'

/** The format the official CU always gives the WeaveDrive extension (besides an `Extension: WeaveDrive` tag). */
const alwaysWeaveDrive = 'wasm64-unknown-emscripten-draft_2024_02_15'

/**
 * The WeaveDrive extension as the CU attaches it: for `wasm64-unknown-emscripten-draft_2024_02_15`
 * and for modules tagged `Extension: WeaveDrive`. It changes what a module's file opens reach:
 * aos's Lua `require` looks for a module it has not preloaded (aos 2.0.6 asks for `bit`) at
 * nine paths, and each `fopen` goes to WeaveDrive's `open`, which answers 0 (no file) for any
 * path outside `/data/` — exactly what the glue answers without WeaveDrive, so results and
 * memory are the same (checked on aos 2.0.6). A read of `/data/<id>` (Arweave data a process
 * was given) depends on the gateway and attestations; Holoscope does not replay those yet, so
 * it is recorded as a host fault: the run stops with an error rather than a result the CU
 * would not have given.
 *
 * @returns the options to merge into ao-loader's options, or `{}` when the CU attaches nothing
 */
export function weaveDriveOptions(options: ModuleOptions, faults: HostFaults): Record<string, unknown> {
  if (options.format !== alwaysWeaveDrive && !('WeaveDrive' in options.extensions)) return {}
  const drive = {
    async open(filename: string): Promise<number> {
      if (filename.split('/')[1] === 'data') {
        faults.record(
          `The process reads Arweave data through WeaveDrive (${filename}), which Holoscope does not replay yet`,
          'Its results depend on the gateway and on attestations of that data; this process cannot be verified by replay here.',
        )
      }
      return 0
    },
    async read(): Promise<number> {
      return 0
    },
    async close(): Promise<number> {
      return 0
    },
  }
  return { WeaveDrive: () => drive }
}
