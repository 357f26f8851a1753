import { defaultHostProfile } from '../src/core/host/knownHostProfiles.ts'
import type { HostProfile } from '../src/core/host/types.ts'
import { selectAoLoader } from '../src/eval/emscripten/loadAoLoader.ts'

/**
 * Emscripten glues write the process environment into the module's memory when a module
 * reads it (`_` is the host script's path, `argv[1]` on Node; emscripten's own glues take
 * `LANG` from `navigator.languages`, ao-loader's write `C.UTF-8`). Left alone, memory would
 * differ between Node and browsers, and between two Node programs. Every evaluator realm pins
 * what the glue sees to a host profile: by default the glue's own defaults (`./this.program`,
 * no `navigator`, ao-loader 0.0.49); another profile reproduces a CU's host (its worker
 * script's path, its ao-loader). Must run before ao-loader creates an instance.
 *
 * @throws Error when this realm already loaded another ao-loader version
 */
export function pinHostEnvironment(profile: HostProfile = defaultHostProfile): void {
  const g = globalThis as { process?: { argv?: string[] }; navigator?: unknown }
  if (Array.isArray(g.process?.argv)) g.process.argv = [g.process.argv[0] ?? 'node', profile.programPath]
  if (g.navigator !== undefined) Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true, writable: true })
  selectAoLoader(profile)
}
