import { queryOptions } from '@tanstack/react-query'
import type { Unit } from '../../net/errors.ts'
import { findProcessSu } from '../../net/gateway.ts'
import { probeUnit } from '../../net/probe.ts'
import { fetchLatestNonce } from '../../net/su.ts'
import type { Settings } from '../settings/settings.ts'

/** Whether a unit answers, and what it says it is (Settings). */
export const unitStatusQuery = (unit: Unit, url: string) =>
  queryOptions({
    queryKey: ['unit-status', unit, url],
    queryFn: ({ signal }) => probeUnit(unit, url, signal),
    retry: false,
    staleTime: 10_000,
  })

/** A process's latest nonce as its SU says now (home page). */
export const latestNonceQuery = (settings: Pick<Settings, 'gateway' | 'su'>, processId: string) =>
  queryOptions({
    queryKey: ['latest-nonce', settings.gateway, settings.su, processId],
    queryFn: async ({ signal }) => {
      const su = settings.su || (await findProcessSu(settings.gateway, processId, signal)).url
      return fetchLatestNonce(su, processId, signal)
    },
    retry: false,
    staleTime: 15_000,
  })
