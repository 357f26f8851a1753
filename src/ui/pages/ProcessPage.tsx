import { BalancesTable } from '../components/BalancesTable.tsx'
import { CuCheckpoints } from '../components/CuCheckpoints.tsx'
import { ProcessDetails } from '../components/ProcessDetails.tsx'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { ReceiptPanel } from '../components/ReceiptPanel.tsx'
import { RunSummary } from '../components/RunSummary.tsx'
import { startText } from '../components/startText.ts'
import { VerdictHeader } from '../components/VerdictHeader.tsx'
import { useVerification, type RunRequest, type VerificationState } from '../hooks/useVerification.ts'
import type { Settings } from '../settings/settings.ts'

type Restart = (request?: RunRequest) => void

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
      {state.phase === 'loading' && <Working state={state} onCancel={cancel} />}
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
      {state.phase === 'done' && <Outcome state={state} restart={restart} />}
    </section>
  )
}

/** A run under way: what it is doing, its progress, the CUs it waits for, and Cancel. */
function Working({ state, onCancel }: { state: Extract<VerificationState, { phase: 'loading' }>; onCancel: () => void }) {
  return (
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
      <button onClick={onCancel}>Cancel</button>
    </div>
  )
}

/** A finished run: what it replayed, the verdict per CU, balances, the receipt and the CUs' checkpoints. */
function Outcome({ state, restart }: { state: Extract<VerificationState, { phase: 'done' }>; restart: Restart }) {
  const { verification, balances } = state
  return (
    <>
      <RunSummary verification={verification} />
      {verification.verdicts.length === 0 && <p>Replayed to nonce {verification.reached.toLocaleString()}; no CU to compare with (add one in Settings).</p>}
      {verification.verdicts.map((verdict) => (
        <VerdictHeader key={verdict.cu} verdict={verdict} />
      ))}
      <button onClick={() => restart({ recheck: true })}>Verify again</button>
      {balances && <BalancesTable balances={balances} />}
      <ReceiptPanel verification={verification} />
      <CuCheckpoints verification={verification} onTrust={(trust) => restart({ trust })} />
    </>
  )
}
