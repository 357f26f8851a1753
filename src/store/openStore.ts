import { checkpointRecords } from './checkpointRecords.ts'
import { clearProcess } from './clearProcess.ts'
import { defaultStoreName } from './deleteStore.ts'
import { keyedRecords } from './keyedRecords.ts'
import { pageRecords } from './pageRecords.ts'
import { openStoreContext } from './storeContext.ts'
import type { StorageLike, Store, StoreOptions } from './storeTypes.ts'
import { storeUsage } from './storeUsage.ts'

export type { StorageLike, StoreOptions, WriteOutcome, StoredModule, LogPage, StoredResult, StoredVerdict, StoredLocation, LoadOutcome, StoreUsage, Store } from './storeTypes.ts'

/**
 * Opens (creating or upgrading) Holoscope's IndexedDB database. Another tab opening a newer
 * version closes this connection; calls then throw StoreClosedError. A connection the browser
 * closes by itself is opened again on the next call.
 *
 * @throws StoreVersionError when the database is of a newer Holoscope; other IndexedDB errors
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const storage = 'storage' in options ? options.storage : (globalThis as { navigator?: { storage?: StorageLike } }).navigator?.storage
  const context = await openStoreContext({ name: options.name ?? defaultStoreName, maxBytes: options.maxBytes, chunkSize: options.chunkSize ?? 1 << 20, storage, onBlocked: options.onBlocked })
  return {
    ...keyedRecords(context),
    ...pageRecords(context),
    ...checkpointRecords(context),
    usage: () => storeUsage(context),
    clearProcess: (processId) => clearProcess(context, processId),
    close: context.close,
  }
}
