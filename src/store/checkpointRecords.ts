import { checkpointsToDelete } from '../core/checkpoint/checkpointsToDelete.ts'
import type { CheckpointKey } from '../core/checkpoint/types.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import { checkpointOf } from './checkpointOf.ts'
import { checkpointStores, deleteCheckpointRecords, deleteChunks } from './deleteCheckpointRecords.ts'
import { CorruptCheckpointError } from './errors.ts'
import { isQuotaError } from './isQuotaError.ts'
import type { LoadOutcome, Store } from './storeTypes.ts'
import { assembleMemory, readCheckpoint } from './readCheckpoint.ts'
import type { StoreContext } from './storeContext.ts'
import { prepareCheckpoint, storeCheckpoint } from './storeCheckpoint.ts'

type CheckpointMethods = 'putCheckpoint' | 'latestCheckpoint' | 'listCheckpoints' | 'loadCheckpoint' | 'deleteCheckpoints' | 'pruneCheckpoints'

/** The store's checkpoints: memory in shared gzip chunks, loaded back checked against their SHA-256. */
export function checkpointRecords(context: StoreContext): Pick<Store, CheckpointMethods> {
  const { db, write } = context
  const deleteCheckpoints = async (processId: string, nonces: readonly number[]): Promise<void> => {
    await write([...checkpointStores], async (tx, count) => {
      const records = await Promise.all(nonces.map(async (nonce) => tx.objectStore('checkpoints').get([processId, nonce])))
      await deleteCheckpointRecords(tx, records.filter((record) => record !== undefined), count)
    })
  }
  return {
    async putCheckpoint(point, snapshot) {
      context.persisted ??= (async () => context.storage?.persist?.())().catch(() => undefined)
      const prepared = await prepareCheckpoint(point, snapshot, context.chunkSize)
      const keep = await context.latestCheckpoint(point.processId)
      const what = `the checkpoint of process ${point.processId} at nonce ${point.nonce}`
      const outcome = await context.withEviction(async () => storeCheckpoint(await db(), prepared, context.nextUse(), context.maxBytes), keep, what)
      return { ...outcome, checkpoint: prepared.checkpoint }
    },
    latestCheckpoint: context.latestCheckpoint,
    async listCheckpoints(processId) {
      const records = await (await db()).getAll('checkpoints', IDBKeyRange.bound([processId, -Infinity], [processId, Infinity]))
      return records.map(checkpointOf)
    },
    loadCheckpoint: (key) => loadCheckpoint(context, key),
    deleteCheckpoints,
    async pruneCheckpoints(processId, policy) {
      const keys = await (await db()).getAllKeys('checkpoints', IDBKeyRange.bound([processId, -Infinity], [processId, Infinity]))
      const doomed = checkpointsToDelete(keys.map(([, nonce]) => nonce), policy)
      if (doomed.length > 0) await deleteCheckpoints(processId, doomed)
      return doomed
    },
  }
}

/** A checkpoint's snapshot, checked; a corrupted one is deleted with its bad chunks. */
async function loadCheckpoint(context: StoreContext, key: CheckpointKey): Promise<LoadOutcome> {
  const { write } = context
  const read = await readCheckpoint(await context.db(), key)
  if (!read) return { status: 'missing' }
  const { record, bodies } = read
  const checkpoint = checkpointOf(record)
  const memory = await assembleMemory(record, bodies)
  if ('problem' in memory) {
    await write([...checkpointStores], async (tx, count) => {
      const current = await tx.objectStore('checkpoints').get([key.processId, key.nonce])
      if (current) await deleteCheckpointRecords(tx, [current], count)
      await deleteChunks(tx, memory.badChunks, count)
    })
    return { status: 'corrupted', checkpoint, error: new CorruptCheckpointError(key, memory.problem) }
  }
  // Marked as used without waiting: only the least-recently-used order depends on it.
  void write(['checkpoints'], async (tx) => {
    const current = await tx.objectStore('checkpoints').get([key.processId, key.nonce])
    if (current?.sha256 === record.sha256) await tx.objectStore('checkpoints').put({ ...current, usedAt: context.nextUse() })
  }).catch((error: unknown) => {
    if (!isQuotaError(error)) console.warn(`Holoscope: checkpoint ${key.processId}@${key.nonce} could not be marked as used`, error)
  })
  const snapshot: Snapshot = { format: record.format, memory: memory.memory, ...(record.globals ? { globals: record.globals } : {}) }
  return { status: 'loaded', checkpoint, snapshot }
}
