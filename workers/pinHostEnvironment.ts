/**
 * Emscripten glues write the process environment into the module's memory when a module
 * reads it (`_` is the host script's path, `argv[1]` on Node; `LANG` comes from
 * `navigator.languages`). Left alone, memory would differ between Node and browsers, and between
 * two Node programs. Every evaluator realm pins what the glue sees to the glue's own defaults:
 * `./this.program` and `C.UTF-8`. Must run before ao-loader creates an instance.
 */
export function pinHostEnvironment(): void {
  const g = globalThis as { process?: { argv?: string[] }; navigator?: unknown }
  if (Array.isArray(g.process?.argv)) g.process.argv = [g.process.argv[0] ?? 'node', './this.program']
  if (g.navigator !== undefined) Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true, writable: true })
}
