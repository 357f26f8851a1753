import { useVirtualizer } from '@tanstack/react-virtual'
import { useMemo, useRef, useState, type ReactNode } from 'react'
import { compareBalances } from '../../core/verify/compareBalances.ts'
import { BalanceAmount } from './BalanceAmount.tsx'

type Sort = { by: 'account' | 'balance'; descending: boolean }

const rowHeight = 32
const visibleRows = 20

/** The balance rows in the chosen order; a balance that is not a number sorts after the numbers. */
function sortedRows(balances: Record<string, string>, sort: Sort): [string, string][] {
  const entries = Object.entries(balances)
  entries.sort(([a, x], [b, y]) => {
    if (sort.by === 'balance') return compareBalances(x, y, sort.descending)
    const order = a < b ? -1 : a > b ? 1 : 0
    return sort.descending ? -order : order
  })
  return entries
}

/** A token's balances computed from local state, sortable, with an address lookup. */
export function BalancesTable({ balances }: { balances: Record<string, string> }) {
  const [sort, setSort] = useState<Sort>({ by: 'balance', descending: true })
  const rows = useMemo(() => sortedRows(balances, sort), [balances, sort])
  const toggle = (by: Sort['by']) => setSort((s) => ({ by, descending: s.by === by ? !s.descending : by === 'balance' }))
  const ariaSort = (by: Sort['by']) => (sort.by === by ? (sort.descending ? 'descending' : 'ascending') : 'none')
  return (
    <section className="balances">
      <h3>Balances (computed here, from local state)</h3>
      <BalanceLookup balances={balances} />
      <BalanceRows rows={rows}>
        <tr>
          <th aria-sort={ariaSort('account')}>
            <button onClick={() => toggle('account')}>Account</button>
          </th>
          <th aria-sort={ariaSort('balance')}>
            <button onClick={() => toggle('balance')}>Balance</button>
          </th>
        </tr>
      </BalanceRows>
    </section>
  )
}

/** A field for an address, and its balance (0 for an address the token does not list). */
function BalanceLookup({ balances }: { balances: Record<string, string> }) {
  const [lookup, setLookup] = useState('')
  const address = lookup.trim()
  const found = address ? (Object.hasOwn(balances, address) ? balances[address]! : '0') : undefined
  return (
    <>
      <label>
        Look up an address <input value={lookup} onChange={(e) => setLookup(e.target.value)} placeholder="wallet address" spellCheck={false} />
      </label>
      {found !== undefined && (
        <p data-testid="lookup-balance">
          Balance of <code>{address}</code>:{' '}
          <strong>
            <BalanceAmount value={found} />
          </strong>
        </p>
      )}
    </>
  )
}

/** The table: its head (`children`) and the rows in view, in a scrolling box of at most `visibleRows` rows. */
function BalanceRows({ rows, children }: { rows: [string, string][]; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => box.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    initialRect: { width: 0, height: visibleRows * rowHeight },
  })
  return (
    <div className="balances-box" ref={box} style={{ maxHeight: (visibleRows + 1) * rowHeight }}>
      <table aria-rowcount={rows.length + 1}>
        <thead>{children}</thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const [account, balance] = rows[item.index]!
            return (
              <tr key={account} data-account={account} data-balance={balance} aria-rowindex={item.index + 2} style={{ height: rowHeight, transform: `translateY(${item.start}px)` }}>
                <td>
                  <code>{account}</code>
                </td>
                <td className="number" title={balance}>
                  <BalanceAmount value={balance} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
