import type { Owner, Tag } from '../core/message/types.ts'
import type { Store } from '../store/openStore.ts'
import { loadModule } from './moduleCache.ts'

/** A module's owner and tags (what the env and the module options are built from) and its bytes. */
export type ModuleBytes = { meta: { owner: Owner; tags: Tag[] }; wasm: Uint8Array }

/**
 * A module by id: from the store, else the gateway (then stored; a notice when storing it needs
 * the user's attention), else the page's cache when there is no store.
 *
 * @throws the gateway's network errors
 */
export async function loadStoredModule(store: Store | undefined, gateway: string, moduleId: string, notice: (text: string | undefined) => void, signal?: AbortSignal): Promise<ModuleBytes> {
  if (!store) return loadModule(gateway, moduleId, signal)
  const stored = await store.getModule(moduleId).catch(() => undefined)
  if (stored) return { meta: { owner: stored.module.owner, tags: stored.module.tags }, wasm: stored.bytes }
  const loaded = await loadModule(gateway, moduleId, signal)
  notice((await store.putModule({ id: moduleId, owner: loaded.meta.owner, tags: loaded.meta.tags }, loaded.wasm).catch(() => undefined))?.notice)
  return loaded
}
