/** The `Module-Format` values Holoscope can evaluate. */
export type ModuleFormat =
  | 'wasm32-unknown-emscripten'
  | 'wasm32-unknown-emscripten2'
  | 'wasm32-unknown-emscripten3'
  | 'wasm32-unknown-emscripten4'
  | 'wasm32-unknown-emscripten-metering'
  | 'wasm64-unknown-emscripten-draft_2024_02_15'
  | 'wasm64-unknown-emscripten-draft_2024_10_16-metering'
  | 'wasm32-unknown-assemblyscript'

/**
 * The module's evaluation options, read from its tags (and the process's tags, which win),
 * the way a CU reads them. See `moduleOptionsFromTags`.
 */
export type ModuleOptions = {
  format: ModuleFormat
  /** Bytes of linear memory the process may use (`Memory-Limit`). */
  memoryLimit: number
  /** Instruction budget per message for metered formats (`Compute-Limit`). */
  computeLimit: number
  /** `Extension` tags, by name, with their prefixed tags. */
  extensions: Record<string, Record<string, string>>
}

/** Every `Module-Format` Holoscope can evaluate. */
export const moduleFormats: readonly ModuleFormat[] = [
  'wasm32-unknown-emscripten',
  'wasm32-unknown-emscripten2',
  'wasm32-unknown-emscripten3',
  'wasm32-unknown-emscripten4',
  'wasm32-unknown-emscripten-metering',
  'wasm64-unknown-emscripten-draft_2024_02_15',
  'wasm64-unknown-emscripten-draft_2024_10_16-metering',
  'wasm32-unknown-assemblyscript',
]
