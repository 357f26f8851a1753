import { BalancesTable } from '../components/BalancesTable.tsx'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { VerdictHeader } from '../components/VerdictHeader.tsx'
import { useVerification } from '../hooks/useVerification.ts'
import type { Settings } from '../settings/settings.ts'

/** A process's page: loads it, replays it in a worker, and shows the verdict per CU and its balances. */
export function ProcessPage({ processId, settings }: { processId: string; settings: Settings }) {
  const { state, cancel, restart } = useVerification(processId, settings)
  const loaded = state.phase === 'done' ? state.verification : state.loaded
  return (
    <section className="process">
      <h2>{loaded?.name ?? 'Process'}</h2>
      <p className="muted">
        <code>{processId}</code>
        {loaded && (
          <>
            {' '}
            · module <code>{loaded.moduleId}</code> · SU {loaded.su} · target nonce {loaded.targetNonce.toLocaleString()}
          </>
        )}
      </p>
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
