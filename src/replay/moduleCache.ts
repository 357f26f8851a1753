import { fetchData, fetchTransactionMeta, type TransactionMeta } from '../net/gateway.ts'

/** A module as the gateway serves it: its transaction's owner and tags, and its bytes. */
export type LoadedModule = { meta: TransactionMeta; wasm: Uint8Array }

const kept = 4
const modules = new Map<string, Promise<LoadedModule>>()

/**
 * A module's tags and bytes, cached by id for this page or process (an id names its bytes: a
 * second verification of any process of the same module downloads nothing). The few most
 * recently used modules are kept; a failed download is not cached.
 */
export function loadModule(gateway: string, moduleId: string, signal?: AbortSignal): Promise<LoadedModule> {
  const cached = modules.get(moduleId)
  if (cached) {
    modules.delete(moduleId)
    modules.set(moduleId, cached)
    return cached
  }
  // The cached download is not tied to one caller's signal: a cancelled page must not
  // poison the cache for the next.
  const loading = Promise.all([fetchTransactionMeta(gateway, moduleId), fetchData(gateway, moduleId)]).then(([meta, wasm]) => ({ meta, wasm }))
  modules.set(moduleId, loading)
  loading.catch(() => modules.delete(moduleId))
  while (modules.size > kept) modules.delete(modules.keys().next().value!)
  return signal ? abortable(loading, signal) : loading
}

/** Drops a module from the cache (its bytes did not load as a module, say). */
export function forgetModule(moduleId: string): void {
  modules.delete(moduleId)
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted()
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
