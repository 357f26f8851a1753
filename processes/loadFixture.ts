import { readFile } from 'node:fs/promises'
import type { Tag } from '../src/core/message/types.ts'

/** A built fixture module: its bytes and the module tags a deploy carries. */
export type Fixture = { name: string; wasm: Uint8Array; format: string; tags: Tag[]; sha256: string }

/**
 * Reads a fixture built by `npm run fixtures` from `processes/build/`.
 *
 * @throws Error saying which command builds it when it is missing
 */
export async function loadFixture(name: string): Promise<Fixture> {
  const dir = new URL('./build/', import.meta.url)
  try {
    const meta = JSON.parse(await readFile(new URL(`${name}.json`, dir), 'utf8')) as Omit<Fixture, 'name' | 'wasm'>
    const wasm = new Uint8Array(await readFile(new URL(`${name}.wasm`, dir)))
    return { name, wasm, ...meta }
  } catch (error) {
    throw new Error(`fixture ${name} is not built (${(error as Error).message}); run \`npm run fixtures\``, { cause: error })
  }
}
