import { useState } from 'react'
import { describeError } from '../../core/errors/describeError.ts'
import { parseReceipt, serializeReceipt, type ReceiptCheck } from '../../core/verify/receipt.ts'
import type { Verification } from '../../replay/verifyProcess.ts'

/** Export this verification's receipt, or check one against it. */
export function ReceiptPanel({ verification }: { verification: Verification }) {
  const [check, setCheck] = useState<{ name: string; result: ReceiptCheck } | { name: string; error: string } | undefined>()
  const download = async () => {
    const receipt = await verification.receipt()
    const url = URL.createObjectURL(new Blob([serializeReceipt(receipt)], { type: 'application/json' }))
    const link = document.createElement('a')
    link.href = url
    link.download = `holoscope-receipt-${verification.processId.slice(0, 8)}-${verification.reached}.json`
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }
  const open = async (file: File | undefined) => {
    if (!file) return
    try {
      setCheck({ name: file.name, result: await verification.checkReceipt(parseReceipt(await file.text())) })
    } catch (error) {
      setCheck({ name: file.name, error: describeError(error).message })
    }
  }
  return (
    <div className="receipt">
      <h3>Receipt</h3>
      <p className="muted">A receipt names the process, module, nonces, memory SHA-256 and the cumulative hash of every result: another replay can check it.</p>
      <button type="button" onClick={download}>
        Download receipt
      </button>{' '}
      <label>
        Check a receipt <input type="file" accept="application/json,.json" onChange={(e) => open(e.target.files?.[0])} />
      </label>
      {check && 'error' in check && (
        <p className="error" role="alert">
          {check.name}: {check.error}
        </p>
      )}
      {check && 'result' in check && (
        <div className={`verdict ${check.result.agrees ? 'verified' : 'diverged'}`} role="status" data-testid="receipt-check">
          <strong>{check.result.agrees ? 'The receipt agrees with this replay' : `The receipt disagrees on ${check.result.disagreeing.join(', ')}`}</strong>
          <ul>
            {check.result.fields.map((f) => (
              <li key={f.field}>
                {f.field}: {f.status}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
