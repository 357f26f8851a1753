import { tagValue } from '../../src/core/message/tagValue.ts'
import { toAoEnv, type ModuleMeta } from '../../src/core/message/toAoEnv.ts'
import type { AoEnv, SuProcess, Tag } from '../../src/core/message/types.ts'
import { maxComputeLimit, maxMemoryLimit, moduleOptionsFromTags, ModuleOptionsError, parseBytes } from '../../src/core/module/moduleOptionsFromTags.ts'
import type { ModuleOptions } from '../../src/core/module/types.ts'
import { graphql } from '../gateway/startGateway.ts'
import { HttpError } from '../lib/http.ts'
import type { Locator } from '../lib/locate.ts'

/** What a CU needs to evaluate a process: where its log is, its module and the `env`. */
export type ProcessContext = {
  id: string
  /** The URL of the SU that schedules it. */
  suUrl: string
  process: SuProcess
  module: ModuleMeta
  env: AoEnv
  options: ModuleOptions
  wasm: Uint8Array
}

/** Where `loadProcessContext` reads from; `wasm` caches module bytes by module id. */
export type ProcessSources = { gatewayUrl: string; locator: Locator; wasm: Map<string, Promise<Uint8Array>> }

/**
 * Loads a process as the CU does: its SU from the `Scheduler` tag and the Scheduler-Location
 * record, its meta from the SU's `/processes/{id}`, the module's tags and owner from gateway
 * GraphQL and its bytes from `/raw/{id}`, and the module options (a process tag wins).
 *
 * @throws HttpError 404 when the process, its SU or its module cannot be found; 413 when a
 *   Memory-Limit or Compute-Limit is above what a CU accepts; 422 for an unsupported
 *   Module-Format or an unreadable limit
 */
export async function loadProcessContext(id: string, sources: ProcessSources): Promise<ProcessContext> {
  const { gatewayUrl, locator } = sources
  const suUrl = await locator.suOf(id).catch((error: unknown) => {
    throw new HttpError(404, `cannot find the SU of process ${id}: ${messageOf(error)}`)
  })
  const res = await fetch(`${suUrl}/processes/${id}`)
  if (!res.ok) throw new HttpError(404, `the SU at ${suUrl} does not know process ${id}: ${errorText(await res.text())}`)
  const process = (await res.json()) as SuProcess
  const moduleId = tagValue(process.tags, 'Module')
  if (tagValue(process.tags, 'Data-Protocol') !== 'ao' || tagValue(process.tags, 'Type') !== 'Process' || !moduleId) {
    throw new HttpError(400, `${id} is not an ao process (tags Data-Protocol=ao, Type=Process and Module are required)`)
  }
  const module = await moduleMeta(gatewayUrl, moduleId)
  if (!module) throw new HttpError(404, `module ${moduleId} of process ${id} is not on the gateway`)
  const options = optionsOf(id, module.tags, process.tags)
  let wasm = sources.wasm.get(moduleId)
  if (!wasm) {
    wasm = fetch(`${gatewayUrl}/raw/${moduleId}`).then(async (r) => {
      if (!r.ok) throw new HttpError(404, `the gateway has no data for module ${moduleId} (${r.status})`)
      return new Uint8Array(await r.arrayBuffer())
    })
    sources.wasm.set(moduleId, wasm)
    wasm.catch(() => sources.wasm.delete(moduleId))
  }
  return { id, suUrl, process, module, env: toAoEnv(process, module), options, wasm: await wasm }
}

async function moduleMeta(gatewayUrl: string, moduleId: string): Promise<ModuleMeta | undefined> {
  const data = (await graphql(gatewayUrl, 'query($ids:[ID!]){transactions(ids:$ids){edges{node{id owner{address key} tags{name value}}}}}', {
    ids: [moduleId],
  })) as { transactions: { edges: { node: ModuleMeta }[] } }
  return data.transactions.edges[0]?.node
}

/** Module options, refused as a CU refuses them: 413 for limits above its maximum, else 422. */
function optionsOf(id: string, moduleTags: Tag[], processTags: Tag[]): ModuleOptions {
  try {
    return moduleOptionsFromTags(moduleTags, processTags)
  } catch (error) {
    if (!(error instanceof ModuleOptionsError)) throw error
    const memory = tagValue(processTags, 'Memory-Limit') ?? tagValue(moduleTags, 'Memory-Limit')
    const compute = tagValue(processTags, 'Compute-Limit') ?? tagValue(moduleTags, 'Compute-Limit')
    const tooLarge = (memory !== undefined && parseBytes(memory) > maxMemoryLimit) || (compute !== undefined && Number.parseInt(compute, 10) > maxComputeLimit)
    throw new HttpError(tooLarge ? 413 : 422, `process ${id} cannot be evaluated: ${error.message}`)
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The `error` of an AO unit's JSON error body, else the text. */
export function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown }
    return typeof body.error === 'string' ? body.error : text.slice(0, 200)
  } catch {
    return text.slice(0, 200)
  }
}
