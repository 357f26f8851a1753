import { queryOptions } from '@tanstack/react-query'
import { localStore } from '../settings/localStore.ts'

/** The queries about what the app keeps in this browser, keyed `['storage', …]`. */
export const storageQueries = {
  /** The key of every storage query: invalidate it after deleting or writing stored data. */
  all: ['storage'] as const,
  /**
   * What the local store holds (bytes, checkpoints). IndexedDB reads cannot be aborted, so the
   * query's signal is not passed on. Not retried: a store that cannot open will not open on a
   * second try (private mode, a newer version in another tab).
   */
  usage: () =>
    queryOptions({
      queryKey: [...storageQueries.all, 'usage'],
      queryFn: async () => (await localStore()).usage(),
      retry: false,
    }),
}
