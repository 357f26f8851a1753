import { parseBalance } from '../../core/verify/parseBalance.ts'

/**
 * One balance as a person reads it: a whole number with digit grouping, or, when the token
 * reported something that is not one (`1e+21`, `ok`), that text as it came, saying so.
 */
export function BalanceAmount({ value }: { value: string }) {
  const parsed = parseBalance(value)
  if ('amount' in parsed) return <>{parsed.amount.toLocaleString()}</>
  return (
    <span className="not-a-number" title="The token reported this balance, but it is not a whole number: it is shown as it came.">
      {parsed.text} <span className="muted">(not a whole number)</span>
    </span>
  )
}
