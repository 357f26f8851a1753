import { StoreDeleteError } from './errors.ts'

/** The name of the app's IndexedDB database when none is given. */
export const defaultStoreName = 'holoscope'

/**
 * Deletes a local database with everything in it; it is made afresh when next opened. Close
 * this page's connection first. A deletion that another tab's open connection holds up is
 * taken as done: the browser deletes the database once that tab closes it.
 *
 * @param name the database, `defaultStoreName` unless given
 * @throws StoreDeleteError when the browser refuses to delete it
 */
export function deleteStore(name: string = defaultStoreName): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(new StoreDeleteError(name, request.error))
    request.onblocked = () => resolve()
  })
}
