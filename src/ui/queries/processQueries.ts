import { queryOptions } from '@tanstack/react-query'
import { findProcessSu } from '../../net/gateway.ts'
import { fetchLatestNonce } from '../../net/su.ts'
import type { Settings } from '../settings/settings.ts'

/**
 * The queries about one process, keyed `['process', id, …]` so that all of a process's can be
 * invalidated at once. Its log grows, so what depends on its latest message goes stale.
 */
export const processQueries = {
  /** The key of every process query. */
  all: ['process'] as const,
  /** The key of every query about process `processId`. */
  detail: (processId: string) => [...processQueries.all, processId] as const,
  /**
   * A process's latest nonce as its SU says now (home page), asking the gateway which SU that is
   * unless the settings name one. Not retried: the page says the SU does not answer and shows
   * the count it already knew.
   */
  latestNonce: (settings: Pick<Settings, 'gateway' | 'su'>, processId: string) =>
    queryOptions({
      queryKey: [...processQueries.detail(processId), 'latest-nonce', { gateway: settings.gateway, su: settings.su }],
      queryFn: async ({ signal }) => {
        const su = settings.su || (await findProcessSu(settings.gateway, processId, signal)).url
        return fetchLatestNonce(su, processId, signal)
      },
      retry: false,
      staleTime: 15_000,
    }),
}
