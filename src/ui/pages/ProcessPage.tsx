import { Fragment, useState } from 'react'
import { tagValue } from '../../core/message/tagValue.ts'
import type { LoadedProcess, Start, Verification } from '../../replay/verifyProcess.ts'
import { BalancesTable } from '../components/BalancesTable.tsx'
import { CuCheckpoints } from '../components/CuCheckpoints.tsx'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { ReceiptPanel } from '../components/ReceiptPanel.tsx'
import { VerdictHeader } from '../components/VerdictHeader.tsx'
import { useVerification } from '../hooks/useVerification.ts'
import type { Settings } from '../settings/settings.ts'

/**
 * What was loaded: owner, module, scheduler, SU, the pinned target nonce and every tag. The list
 * is rendered once opened: formatting a date first loads the time zone data (tens of ms), which
 * would delay the verdict.
 */
function ProcessDetails({ loaded }: { loaded: LoadedProcess }) {
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

/** Where the replay started, in words. */
function startText(start: Start): string {
  if (start.source === 'genesis') return 'from nonce 0'
  if (start.source === 'local-checkpoint') return `from a checkpoint kept in this browser at nonce ${start.nonce.toLocaleString()}`
  return `from CU ${start.cu}'s checkpoint at nonce ${start.nonce.toLocaleString()} (trusted, not verified)`
}

/** How much this run replayed: nothing (all from the last visit), the tail, or everything. */
function RunSummary({ verification }: { verification: Verification }) {
  const { start, evaluated, reached } = verification
  return (
    <p className="run-summary" data-testid="run-summary" data-evaluated={evaluated} data-start={start.source === 'genesis' ? 0 : start.nonce}>
      {evaluated === 0
        ? `Nothing to replay: the state at nonce ${reached.toLocaleString()} came ${startText(start)}.`
        : `Replayed ${evaluated.toLocaleString()} messages ${startText(start)} to nonce ${reached.toLocaleString()}.`}
    </p>
  )
}

/** A process's page: loads it, replays it in a worker, and shows the verdict per CU and its balances. */
export function ProcessPage({ processId, settings }: { processId: string; settings: Settings }) {
  const { state, cancel, restart } = useVerification(processId, settings)
  const loaded = state.phase === 'done' ? state.verification : state.loaded
  return (
    <section className="process">
      <h2>{loaded?.name ?? 'Process'}</h2>
      <p className="muted">
        <code>{processId}</code>
      </p>
      {loaded && <ProcessDetails loaded={loaded} />}
      {state.phase === 'loading' && (
        <div className="working">
          <p>{state.loaded ? `Replaying the log in a worker ${startText(state.loaded.start)} and comparing with the CUs…` : 'Loading the process and its module…'}</p>
          {state.progress && (
            <>
              <ProgressBar progress={{ done: state.progress.evaluated, total: state.progress.total, perSecond: state.progress.perSecond }} />
              <p className="muted">
                {state.progress.fetched.toLocaleString()} of {state.progress.total.toLocaleString()} messages fetched
              </p>
            </>
          )}
          {state.waiting?.map((line) => (
            <p key={line} className="muted waiting" data-testid="cu-waiting">
              {line[0]!.toUpperCase() + line.slice(1)}
            </p>
          ))}
          <button onClick={cancel}>Cancel</button>
        </div>
      )}
      {state.phase === 'cancelled' && (
        <div className="working">
          <p>Cancelled{state.progress ? ` after ${state.progress.evaluated.toLocaleString()} messages` : ''}. What was replayed is kept: starting again resumes from the last checkpoint.</p>
          <button onClick={() => restart()}>Start again</button>
        </div>
      )}
      {state.phase === 'failed' && (
        <div className="verdict unchecked" role="alert">
          <strong>Could not check</strong>: {state.message}
          {state.details && <p className="muted">{state.details}</p>}
          <p>
            <button onClick={() => restart()}>Try again</button> or check the endpoints in <a href="#/settings">Settings</a>.
          </p>
        </div>
      )}
      {state.notices.length > 0 && (
        <ul className="notices" aria-label="Notices">
          {state.notices.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {state.phase === 'done' && (
        <>
          <RunSummary verification={state.verification} />
          {state.verification.verdicts.length === 0 && <p>Replayed to nonce {state.verification.reached.toLocaleString()}; no CU to compare with (add one in Settings).</p>}
          {state.verification.verdicts.map((verdict) => (
            <VerdictHeader key={verdict.cu} verdict={verdict} />
          ))}
          <button onClick={() => restart({ recheck: true })}>Verify again</button>
          {state.balances && <BalancesTable balances={state.balances} />}
          <ReceiptPanel verification={state.verification} />
          <CuCheckpoints verification={state.verification} onTrust={(trust) => restart({ trust })} />
        </>
      )}
    </section>
  )
}
