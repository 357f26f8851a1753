import { checkpointStores, deleteCheckpointRecords } from './deleteCheckpointRecords.ts'
import { sizeOf } from './sizeOf.ts'
import type { StoreContext } from './storeContext.ts'

/** Deletes everything stored of a process but its module, in one transaction. */
export async function clearProcess(context: StoreContext, processId: string): Promise<void> {
  const range = IDBKeyRange.bound([processId], [processId, []])
  await context.write(['pages', 'results', 'verdicts', 'locations', ...checkpointStores], async (tx, count) => {
    const location = await tx.objectStore('locations').get(processId)
    if (location) {
      count('locations', -sizeOf(location))
      await tx.objectStore('locations').delete(processId)
    }
    for (const store of ['pages', 'results', 'verdicts'] as const) {
      for (let cursor = await tx.objectStore(store).openCursor(range); cursor; cursor = await cursor.continue()) {
        count(store, -sizeOf(cursor.value))
        await cursor.delete()
      }
    }
    await deleteCheckpointRecords(tx, await tx.objectStore('checkpoints').getAll(range), count)
  })
}
