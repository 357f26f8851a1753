import { useMemo, useState } from 'react'

type Sort = { by: 'account' | 'balance'; descending: boolean }

/** Compares decimal strings as numbers (balances exceed 2^53). */
function compareDecimal(a: string, b: string): number {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** A token's balances computed from local state, sortable, with an address lookup. */
export function BalancesTable({ balances }: { balances: Record<string, string> }) {
  const [sort, setSort] = useState<Sort>({ by: 'balance', descending: true })
  const [lookup, setLookup] = useState('')
  const rows = useMemo(() => {
    const entries = Object.entries(balances)
    entries.sort(([a, x], [b, y]) => {
      const order = sort.by === 'account' ? (a < b ? -1 : a > b ? 1 : 0) : compareDecimal(x, y)
      return sort.descending ? -order : order
    })
    return entries
  }, [balances, sort])
  const toggle = (by: Sort['by']) => setSort((s) => ({ by, descending: s.by === by ? !s.descending : by === 'balance' }))
  const found = lookup.trim() ? (balances[lookup.trim()] ?? '0') : undefined
  return (
    <section className="balances">
      <h3>Balances (computed here, from local state)</h3>
      <label>
        Look up an address{' '}
        <input value={lookup} onChange={(e) => setLookup(e.target.value)} placeholder="wallet address" spellCheck={false} />
      </label>
      {found !== undefined && (
        <p data-testid="lookup-balance">
          Balance of <code>{lookup.trim()}</code>: <strong>{BigInt(found).toLocaleString()}</strong>
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th aria-sort={sort.by === 'account' ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              <button onClick={() => toggle('account')}>Account</button>
            </th>
            <th aria-sort={sort.by === 'balance' ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              <button onClick={() => toggle('balance')}>Balance</button>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([account, balance]) => (
            <tr key={account} data-account={account} data-balance={balance}>
              <td>
                <code>{account}</code>
              </td>
              <td className="number">{BigInt(balance).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
