import { claimLabel, type Checked, type Trusted, type Verdict } from '../../core/verify/verdict.ts'

/** What was compared with a CU, in words: "14 results, 3 signed checkpoints, state, dry-run". */
function checkedText(checked: Checked): string {
  const parts = [`${checked.results.toLocaleString()} message results`, `${checked.checkpoints.toLocaleString()} signed checkpoints`]
  if (checked.state) parts.push('its state (memory)')
  if (checked.dryRun) parts.push('a dry-run')
  return parts.join(', ')
}

function TrustedNote({ trusted }: { trusted: Trusted | undefined }) {
  if (!trusted) return null
  return (
    <p className="trusted">
      Started from CU {trusted.cu}'s checkpoint <code>{trusted.checkpointId}</code> at nonce {trusted.nonce.toLocaleString()}: the history before it is trusted, not verified.
    </p>
  )
}

function Notes({ notes }: { notes: string[] | undefined }) {
  if (!notes?.length) return null
  return (
    <ul className="verdict-notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  )
}

/** The verdict of one CU: verified to nonce N, diverged at nonce N (claim, field, both values), or could not check. */
export function VerdictHeader({ verdict }: { verdict: Verdict }) {
  if (verdict.status === 'verified') {
    return (
      <div className="verdict verified" role="status" data-cu={verdict.cu}>
        <strong>Verified to nonce {verdict.nonce.toLocaleString()}</strong> against CU <code>{verdict.cu}</code>
        {verdict.checked && <p className="checked">Compared: {checkedText(verdict.checked)}.</p>}
        <TrustedNote trusted={verdict.trusted} />
        <Notes notes={verdict.notes} />
      </div>
    )
  }
  if (verdict.status === 'unchecked') {
    return (
      <div className="verdict unchecked" role="status" data-cu={verdict.cu}>
        <strong>Could not check</strong> against CU <code>{verdict.cu}</code>
        {verdict.nonce !== undefined && <> at nonce {verdict.nonce.toLocaleString()}</>}: {verdict.reason}
      </div>
    )
  }
  const claim = verdict.claim ?? 'result'
  return (
    <div className="verdict diverged" role="status" data-cu={verdict.cu} data-claim={claim}>
      <strong>Diverged at nonce {verdict.nonce.toLocaleString()}</strong> from CU <code>{verdict.cu}</code>: its <span className="claim">{claimLabel[claim]}</span>
      {claim === 'checkpoint' && verdict.claimId ? (
        <>
          {' '}
          <code>{verdict.claimId}</code>
        </>
      ) : null}
      {claim === 'result' || claim === 'dry-run' ? (
        <>
          {' '}
          for message <code>{verdict.messageId}</code>
        </>
      ) : null}
      , field <strong className="field">{verdict.field}</strong>
      <div className="side-by-side">
        <div>
          <h4>Computed here</h4>
          <pre data-testid="local-value">{JSON.stringify(verdict.local, null, 2)}</pre>
        </div>
        <div>
          <h4>The CU says</h4>
          <pre data-testid="remote-value">{JSON.stringify(verdict.remote, null, 2)}</pre>
        </div>
      </div>
      <TrustedNote trusted={verdict.trusted} />
      <Notes notes={verdict.notes} />
    </div>
  )
}
