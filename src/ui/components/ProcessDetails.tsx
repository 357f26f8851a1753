import { Fragment, useState } from 'react'
import { tagValue } from '../../core/message/tagValue.ts'
import type { LoadedProcess } from '../../replay/verifyProcess.ts'

/**
 * What was loaded: owner, module, scheduler, SU, the pinned target nonce and every tag. The list
 * is rendered once opened: formatting a date first loads the time zone data (tens of ms), which
 * would delay the verdict.
 */
export function ProcessDetails({ loaded }: { loaded: LoadedProcess }) {
  const { process } = loaded
  const [open, setOpen] = useState(false)
  return (
    <details className="process-details" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        Module <code>{loaded.moduleId}</code> · target nonce {loaded.targetNonce.toLocaleString()}
      </summary>
      {open && (
        <dl>
          <dt>Owner</dt>
          <dd>
            <code>{process.owner.address}</code>
          </dd>
          <dt>Scheduler</dt>
          <dd>
            <code>{tagValue(process.tags, 'Scheduler') ?? '(none)'}</code>
          </dd>
          <dt>SU</dt>
          <dd>{loaded.su}</dd>
          <dt>Spawned</dt>
          <dd>{new Date(process.timestamp).toLocaleString()}</dd>
          {process.tags.map((tag, i) => (
            <Fragment key={i}>
              <dt>{tag.name}</dt>
              <dd>
                <code>{tag.value}</code>
              </dd>
            </Fragment>
          ))}
        </dl>
      )}
    </details>
  )
}
