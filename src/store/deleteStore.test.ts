import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import { deleteStore } from './deleteStore.ts'
import { StoreDeleteError } from './errors.ts'
import { openStore } from './openStore.ts'

describe('deleteStore', () => {
  it('deletes a database with what it holds: opened again, it is empty', async () => {
    const name = `delete-test-${process.pid}`
    const store = await openStore({ name, storage: {} })
    await store.putResults('P', [{ nonce: 0, messageId: 'm0', digest: 'd0' }])
    store.close()
    await deleteStore(name)
    const again = await openStore({ name, storage: {} })
    expect(await again.getResults('P', 0, 0)).toEqual([])
    again.close()
  })

  it('resolves when another connection holds the deletion up (the browser finishes it later)', async () => {
    const name = `delete-blocked-${process.pid}`
    // A connection that, unlike the store's, does not close when asked to.
    const holder = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    // Without the connection closing, the deletion would never succeed: it resolves on 'blocked'.
    await expect(deleteStore(name)).resolves.toBeUndefined()
    holder.close()
  })

  it('says the database could not be deleted, and what to do, when the browser refuses', async () => {
    const refused = Object.assign(new Error('denied'), { name: 'UnknownError' })
    const spy = vi.spyOn(indexedDB, 'deleteDatabase').mockImplementation(() => {
      const request = { error: refused } as unknown as IDBOpenDBRequest
      queueMicrotask(() => request.onerror?.(new Event('error')))
      return request
    })
    try {
      const error = await deleteStore('refused').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StoreDeleteError)
      expect((error as StoreDeleteError).message).toBe('The local database "refused" could not be deleted. Clear this site\'s data in the browser\'s settings instead.')
      expect((error as StoreDeleteError).details).toBe('denied')
    } finally {
      spy.mockRestore()
    }
  })
})
