import type { Verification } from '../../replay/verifyProcess.ts'
import { startText } from './startText.ts'

/** How much this run replayed: nothing (all from the last visit), the tail, or everything. */
export function RunSummary({ verification }: { verification: Verification }) {
  const { start, evaluated, reached } = verification
  return (
    <p className="run-summary" data-testid="run-summary" data-evaluated={evaluated} data-start={start.source === 'genesis' ? 0 : start.nonce}>
      {evaluated === 0
        ? `Nothing to replay: the state at nonce ${reached.toLocaleString()} came ${startText(start)}.`
        : `Replayed ${evaluated.toLocaleString()} messages ${startText(start)} to nonce ${reached.toLocaleString()}.`}
    </p>
  )
}
