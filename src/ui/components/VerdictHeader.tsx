import type { HostProfile } from '../../core/host/types.ts'
import { claimLabel, describeChecked, isMemoryClaim, type Checked, type Trusted, type Verdict } from '../../core/verify/verdict.ts'

/** What was compared with a CU, in two parts: its results and dry-runs, and its memory claims. */
function CheckedLines({ checked, hostProfile }: { checked: Checked; hostProfile: HostProfile | undefined }) {
  const { results, memory } = describeChecked(checked)
  return (
    <p className="checked">
      Results: {results}.
      {memory && (
        <>
          {' '}
          Memory: {memory}
          {hostProfile ? <>, replayed under its host profile</> : null}.
        </>
      )}
    </p>
  )
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

/** The host profile a CU's memory claims held under, when not Holoscope's own. */
function HostProfileName({ profile }: { profile: HostProfile }) {
  return (
    <span className="host-profile" title={`${profile.programPath}, ao-loader ${profile.aoLoader}`}>
      {profile.label}
    </span>
  )
}

/**
 * The verdict of one CU: verified to nonce N (with its host profile when its memory holds only
 * under one), diverged at nonce N (claim, field, both values; a memory claim says so, with what
 * agreed before it), or could not check.
 */
export function VerdictHeader({ verdict }: { verdict: Verdict }) {
  if (verdict.status === 'verified') {
    return (
      <div className="verdict verified" role="status" data-cu={verdict.cu} data-host-profile={verdict.hostProfile?.id}>
        <strong>Verified to nonce {verdict.nonce.toLocaleString()}</strong> against CU <code>{verdict.cu}</code>
        {verdict.hostProfile && (
          <>
            , with its host profile: <HostProfileName profile={verdict.hostProfile} />
          </>
        )}
        {verdict.checked && <CheckedLines checked={verdict.checked} hostProfile={verdict.hostProfile} />}
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
  const memory = isMemoryClaim(claim)
  return (
    <div className="verdict diverged" role="status" data-cu={verdict.cu} data-claim={claim} data-kind={memory ? 'memory' : 'result'}>
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
      {memory && (
        <p className="memory-divergence">
          A memory divergence, not a wrong result
          {verdict.checked ? <>: before it, {describeChecked(verdict.checked).results} agreed</> : null}.
          {verdict.hostProfiles?.length ? <> Its memory was replayed under {verdict.hostProfiles.length} host profiles; none reproduces it.</> : null}
          {verdict.hostProfile ? (
            <>
              {' '}
              Its earlier memory claims held under its host profile <HostProfileName profile={verdict.hostProfile} />, which the values below are computed under.
            </>
          ) : null}
        </p>
      )}
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
