import type { StoreKey } from 'idb'
import type { HoloscopeSchema } from './schema.ts'
import { sizeOf } from './sizeOf.ts'
import type { CountBytes, WriteTx } from './writeTransaction.ts'

/** Puts `value` under `key` in `store`, counting it and taking away what it replaces. */
export async function replaceRecord<S extends 'modules' | 'pages' | 'results' | 'verdicts' | 'locations'>(
  tx: WriteTx,
  store: S,
  key: StoreKey<HoloscopeSchema, S>,
  value: HoloscopeSchema[S]['value'],
  count: CountBytes,
): Promise<void> {
  const objectStore = tx.objectStore(store)
  const previous: unknown = await objectStore.get(key)
  if (previous !== undefined) count(store, -sizeOf(previous))
  await objectStore.put(value)
  count(store, sizeOf(value))
}
