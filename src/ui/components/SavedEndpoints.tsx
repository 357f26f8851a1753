import { useQuery } from '@tanstack/react-query'
import type { Unit } from '../../net/errors.ts'
import { unitQueries } from '../queries/unitQueries.ts'
import type { Settings } from '../settings/settings.ts'

/** Whether the saved endpoint answers, next to its field. */
function UnitStatusLine({ unit, url }: { unit: Unit; url: string }) {
  const status = useQuery(unitQueries.status(unit, url))
  if (status.isPending) return <span className="unit-status muted">checking {url}…</span>
  if (status.isError) return <span className="unit-status error">{url} does not answer: {status.error.message}</span>
  return <span className="unit-status ok">✓ {url} answers ({status.data.summary})</span>
}

/** Whether each saved endpoint (gateway, SU override, CUs) answers now. */
export function SavedEndpoints({ settings }: { settings: Settings }) {
  return (
    <div className="unit-statuses" aria-live="polite">
      <h3>Saved endpoints</h3>
      <UnitStatusLine unit="gateway" url={settings.gateway} />
      {settings.su && <UnitStatusLine unit="SU" url={settings.su} />}
      {settings.cus.map((cu) => (
        <UnitStatusLine key={cu} unit="CU" url={cu} />
      ))}
    </div>
  )
}
