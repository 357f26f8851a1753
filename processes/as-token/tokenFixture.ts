import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildAoMessage } from '../../src/core/message/toAoMessage.ts'
import type { AoEnv, AoMessage, Tag } from '../../src/core/message/types.ts'
import type { ModuleOptions } from '../../src/core/module/types.ts'

/** The process id of the token process the tests drive. */
export const PROCESS_ID = 'as-token-process-000000000000000000000000000'
/** The owner of the token process. */
export const OWNER = 'owner-wallet-0000000000000000000000000000000'

/** The built fixture's bytes (`npm run fixtures` first). For tests and benchmarks in Node. */
export function asTokenWasm(): Uint8Array {
  return readFileSync(fileURLToPath(new URL('../build/as-token.wasm', import.meta.url)))
}

/** Evaluation options as the fixture's module tags give them; `memoryLimit` overridable. */
export function asTokenOptions(memoryLimit = 256 * 1024 * 1024): ModuleOptions {
  return { format: 'wasm32-unknown-assemblyscript', memoryLimit, computeLimit: 9_000_000_000_000, extensions: {} }
}

/** The env of the token process, with extra process tags. */
export function tokenEnv(processTags: Tag[] = []): AoEnv {
  return {
    Process: {
      Id: PROCESS_ID,
      Owner: OWNER,
      Tags: [{ name: 'Data-Protocol', value: 'ao' }, { name: 'Type', value: 'Process' }, ...processTags],
    },
    Module: { Id: 'as-token-module', Owner: OWNER, Tags: [{ name: 'Module-Format', value: 'wasm32-unknown-assemblyscript' }] },
  }
}

/** A message in the CU's key order, from `from`, with `tags` (as name/value pairs). */
export function tokenMessage(nonce: number, from: string, tags: Record<string, string> | Tag[], data = ''): AoMessage {
  const list = Array.isArray(tags) ? tags : Object.entries(tags).map(([name, value]) => ({ name, value }))
  return buildAoMessage({
    Id: nonce === 0 ? PROCESS_ID : `message-${String(nonce).padStart(8, '0')}`,
    Signature: null,
    Data: data,
    Owner: from,
    Target: PROCESS_ID,
    Anchor: null,
    From: from,
    Tags: list,
    Epoch: 0,
    Nonce: nonce,
    Timestamp: 1_700_000_000_000 + nonce * 1000,
    'Block-Height': 1_500_000 + nonce,
    Cron: false,
  })
}

/** The message that spawns (initialises) the token process. */
export function spawnMessage(): AoMessage {
  return tokenMessage(0, OWNER, [{ name: 'Type', value: 'Process' }])
}
