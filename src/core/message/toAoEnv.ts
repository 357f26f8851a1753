import { addressFrom } from './addressFrom.ts'
import type { AoEnv, Owner, SuProcess, Tag } from './types.ts'

/** A module as the gateway describes it (GraphQL `owner { address key }` and `tags`). */
export type ModuleMeta = { id: string; owner: Owner; tags: Tag[] }

/**
 * The `env` a CU hands to the module with every message: the process (from the SU's
 * `/processes/{id}`) and the module (from the gateway), owners as addresses, tags as signed.
 */
export function toAoEnv(process: SuProcess, module: ModuleMeta): AoEnv {
  return {
    Process: { Id: process.process_id, Owner: addressFrom(process.owner), Tags: process.tags },
    Module: { Id: module.id, Owner: addressFrom(module.owner), Tags: module.tags },
  }
}
