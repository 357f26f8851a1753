/**
 * Whether a module's memory can depend on its host profile: emscripten glues write the host's
 * environment into memory; AssemblyScript modules see no host.
 */
export function memoryDependsOnHost(format: string): boolean {
  return format.includes('emscripten')
}
