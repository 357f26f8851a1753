import { Fragment } from 'react'
import { tagValue } from '../../core/message/tagValue.ts'
import type { LoadedProcess } from '../../replay/verifyProcess.ts'
import { BalancesTable } from '../components/BalancesTable.tsx'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { VerdictHeader } from '../components/VerdictHeader.tsx'
import { useVerification } from '../hooks/useVerification.ts'
import type { Settings } from '../settings/settings.ts'

/** What was loaded: owner, module, scheduler, SU, the pinned target nonce and every tag. */
function ProcessDetails({ loaded }: { loaded: LoadedProcess }) {
  const { process } = loaded
  return (
    <details className="process-details">
      <summary>
        Module <code>{loaded.moduleId}</code> · target nonce {loaded.targetNonce.toLocaleString()}
      </summary>
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
    </details>
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
          <p>{state.loaded ? 'Replaying the log in a worker and comparing with the CUs…' : 'Loading the process and its module…'}</p>
          {state.progress && (
            <>
              <ProgressBar progress={{ done: state.progress.evaluated, total: state.progress.total, perSecond: state.progress.perSecond }} />
              <p className="muted">
                {state.progress.fetched.toLocaleString()} of {state.progress.total.toLocaleString()} messages fetched
              </p>
            </>
          )}
          <button onClick={cancel}>Cancel</button>
        </div>
      )}
      {state.phase === 'cancelled' && (
        <div className="working">
          <p>Cancelled{state.progress ? ` after ${state.progress.evaluated.toLocaleString()} messages` : ''}.</p>
          <button onClick={restart}>Start again</button>
        </div>
      )}
      {state.phase === 'failed' && (
        <div className="verdict unchecked" role="alert">
          <strong>Could not check</strong>: {state.message}
          {state.details && <p className="muted">{state.details}</p>}
          <p>
            <button onClick={restart}>Try again</button> or check the endpoints in <a href="#/settings">Settings</a>.
          </p>
        </div>
      )}
      {state.phase === 'done' && (
        <>
          {state.verification.verdicts.length === 0 && <p>Replayed to nonce {state.verification.reached.toLocaleString()}; no CU to compare with (add one in Settings).</p>}
          {state.verification.verdicts.map((verdict) => (
            <VerdictHeader key={verdict.cu} verdict={verdict} />
          ))}
          <button onClick={restart}>Verify again</button>
          {state.balances && <BalancesTable balances={state.balances} />}
        </>
      )}
    </section>
  )
}
