import type { Verdict } from '../../core/verify/verdict.ts'

/** The verdict of one CU: verified to nonce N, diverged at nonce N (field, both values), or could not check. */
export function VerdictHeader({ verdict }: { verdict: Verdict }) {
  if (verdict.status === 'verified') {
    return (
      <div className="verdict verified" role="status">
        <strong>Verified to nonce {verdict.nonce.toLocaleString()}</strong> against CU <code>{verdict.cu}</code>
      </div>
    )
  }
  if (verdict.status === 'unchecked') {
    return (
      <div className="verdict unchecked" role="status">
        <strong>Could not check</strong> against CU <code>{verdict.cu}</code>
        {verdict.nonce !== undefined && <> at nonce {verdict.nonce.toLocaleString()}</>}: {verdict.reason}
      </div>
    )
  }
  return (
    <div className="verdict diverged" role="status">
      <strong>Diverged at nonce {verdict.nonce.toLocaleString()}</strong> from CU <code>{verdict.cu}</code>: message <code>{verdict.messageId}</code>, field{' '}
      <strong className="field">{verdict.field}</strong>
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
    </div>
  )
}
