import { deleteStore } from '../../store/deleteStore.ts'
import { openStore, type Store } from '../../store/openStore.ts'

let opening: Promise<Store> | undefined

/** The app's one local store (IndexedDB), opened on first use. */
export function localStore(): Promise<Store> {
  opening ??= openStore({
    onBlocked: () => console.warn('Holoscope: another tab keeps an older version of the local store open; close it to continue.'),
  })
  opening.catch(() => (opening = undefined))
  return opening
}

/**
 * Deletes everything the app stored, by deleting the database (it is made afresh on next use).
 *
 * @throws StoreDeleteError when the browser refuses to delete it
 */
export async function clearLocalStore(): Promise<void> {
  const store = await opening?.catch(() => undefined)
  store?.close()
  opening = undefined
  await deleteStore()
}
