import { useEffect, useState } from 'react'
import type { CheckpointClaim } from '../../core/checkpoint/checkpointClaim.ts'
import type { Verification } from '../../replay/verifyProcess.ts'

/** The checkpoints the CUs signed for this process, each a possible (trusted) starting point. */
export function CuCheckpoints({ verification, onTrust }: { verification: Verification; onTrust: (trust: { cu: string; claim: CheckpointClaim }) => void }) {
  // The listing may still be on its way when the verdict shows (a verdict that stands from an earlier visit).
  const [claims, setClaims] = useState<Awaited<Verification['cuCheckpoints']> | undefined>(undefined)
  useEffect(() => {
    let current = true
    setClaims(undefined)
    void verification.cuCheckpoints.then((listed) => current && setClaims(listed))
    return () => {
      current = false
    }
  }, [verification])
  if (!claims) {
    return (
      <details className="cu-checkpoints">
        <summary>Checkpoints the CUs signed (listing…)</summary>
      </details>
    )
  }
  return (
    <details className="cu-checkpoints">
      <summary>Checkpoints the CUs signed ({claims.length.toLocaleString()})</summary>
      {claims.length === 0 ? (
        <p className="empty">No CU has published a checkpoint of this process up to nonce {verification.targetNonce.toLocaleString()}.</p>
      ) : (
        <>
          <p className="muted">
            Starting from a CU's checkpoint skips replaying the history before it. That history is then trusted, not verified, and every verdict says so.
          </p>
          <table>
            <thead>
              <tr>
                <th>Nonce</th>
                <th>CU</th>
                <th>SHA-256 claimed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {claims.map((claim) => (
                <tr key={claim.id}>
                  <td className="number">{claim.nonce.toLocaleString()}</td>
                  <td>{claim.cu}</td>
                  <td>
                    <code title={claim.sha256}>{claim.sha256.slice(0, 16)}…</code>
                  </td>
                  <td>
                    <button type="button" onClick={() => onTrust({ cu: claim.cu, claim })}>
                      Start from here
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </details>
  )
}
