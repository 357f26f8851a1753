import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef } from 'react'
import type { AoMessage, EvalResult, Tag } from '../../core/message/types.ts'

/** One replayed message and what it produced. */
export type ResultRow = { msg: AoMessage; result: EvalResult }

const rowHeight = 28
const visibleRows = 16

/** The results of a replay, one row per message; only the rows in view are rendered. */
export function ResultsTable({ rows }: { rows: ResultRow[] }) {
  const body = useRef<HTMLDivElement>(null)
  const height = Math.min(rows.length, visibleRows) * rowHeight
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => body.current,
    estimateSize: () => rowHeight,
    overscan: 4,
    initialRect: { width: 0, height },
  })
  if (rows.length === 0) return <p className="empty">No messages replayed yet.</p>
  return (
    <div className="results" role="table" aria-rowcount={rows.length}>
      <div className="results-row results-head" role="row">
        <span role="columnheader">Nonce</span>
        <span role="columnheader">Message</span>
        <span role="columnheader">Action</span>
        <span role="columnheader">Result</span>
      </div>
      <div className="results-body" ref={body} style={{ height }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <ResultLine key={item.key} row={rows[item.index]!} top={item.start} />
          ))}
        </div>
      </div>
    </div>
  )
}

/** One message's row, placed `top` pixels down the list. */
function ResultLine({ row: { msg, result }, top }: { row: ResultRow; top: number }) {
  return (
    <div className="results-row" role="row" data-nonce={msg.Nonce} style={{ position: 'absolute', top, height: rowHeight }}>
      <span role="cell">{msg.Nonce ?? '–'}</span>
      <span role="cell" title={msg.Id}>
        {(msg.Id ?? '').slice(0, 10)}
      </span>
      <span role="cell">{msg.Tags.find((t) => t.name === 'Action')?.value ?? (msg.Id === undefined ? '' : 'Process')}</span>
      <span role="cell" className={result.Error === undefined ? '' : 'error'}>
        {describe(result)}
      </span>
    </div>
  )
}

function describe(result: EvalResult): string {
  if (result.Error !== undefined) return `Error: ${typeof result.Error === 'string' ? result.Error : JSON.stringify(result.Error)}`
  const actions = result.Messages.map((m) => (m.Tags as Tag[] | undefined)?.find((t) => t.name === 'Action')?.value ?? '?')
  const output = typeof result.Output === 'string' ? result.Output : JSON.stringify(result.Output)
  return [actions.length ? `→ ${actions.join(', ')}` : '', output].filter(Boolean).join(' · ') || '—'
}
