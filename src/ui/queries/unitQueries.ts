import { queryOptions } from '@tanstack/react-query'
import type { Unit } from '../../net/errors.ts'
import { probeUnit } from '../../net/probe.ts'

/**
 * The queries about the network's units (gateway, SU, CU), keyed `['unit', kind, url, …]`.
 * A probe that fails is shown at once, not retried: the user reads it next to the field.
 */
export const unitQueries = {
  /** The key of every unit query. */
  all: ['unit'] as const,
  /** Whether a unit answers, and what it says it is (Settings). */
  status: (unit: Unit, url: string) =>
    queryOptions({
      queryKey: [...unitQueries.all, unit, url, 'status'],
      queryFn: ({ signal }) => probeUnit(unit, url, signal),
      retry: false,
      staleTime: 10_000,
    }),
}
