import type { FormEvent } from 'react'
import { moduleFormats } from '../../core/module/types.ts'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { ResultsTable, type ResultRow } from '../components/ResultsTable.tsx'
import { useLocalReplay, type LocalReplayStatus } from '../hooks/useLocalReplay.ts'

/** Replays a local module over a local log in a Web Worker, with no network. */
export function LocalReplayPage() {
  const { status, rows, start, cancel } = useLocalReplay()
  return (
    <section aria-labelledby="local-replay">
      <h2 id="local-replay">Replay a local module</h2>
      <p>Runs a module over a message log in a Web Worker, exactly as a CU would, without any network.</p>
      <ReplayForm running={status.kind === 'running'} onStart={start} onCancel={cancel} />
      <ReplayStatus status={status} rows={rows} />
      <ResultsTable rows={rows} />
    </section>
  )
}

/** The module, the log, the module format and the evaluator mode; Replay and Cancel. */
function ReplayForm({ running, onStart, onCancel }: { running: boolean; onStart: (event: FormEvent<HTMLFormElement>) => void; onCancel: () => void }) {
  return (
    <form onSubmit={onStart} className="replay-form">
      <label>
        Module <input type="file" name="module" accept=".wasm,application/wasm" disabled={running} />
      </label>
      <label>
        Log <input type="file" name="log" accept=".json,application/json" disabled={running} />
      </label>
      <label>
        Format
        <select name="format" defaultValue="" disabled={running}>
          <option value="">from the module tags</option>
          {moduleFormats.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </label>
      <label>
        Mode
        <select name="mode" defaultValue="hot" disabled={running}>
          <option value="hot">hot instance</option>
          <option value="cu">the CU way (copies memory per message)</option>
        </select>
      </label>
      <div className="actions">
        <button type="submit" disabled={running}>
          Replay
        </button>
        <button type="button" disabled={!running} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/** The replay's progress, its outcome (messages, errors, time, memory SHA-256), or what went wrong. */
function ReplayStatus({ status, rows }: { status: LocalReplayStatus; rows: ResultRow[] }) {
  const errors = rows.filter((row) => row.result.Error !== undefined).length
  return (
    <div aria-live="polite" className="status">
      {status.kind === 'running' && <ProgressBar progress={status.progress} />}
      {status.kind === 'done' && (
        <p className="done">
          Replayed {rows.length.toLocaleString()} messages ({errors.toLocaleString()} with Error) in {status.seconds.toFixed(1)} s. Memory:{' '}
          {status.memory.length.toLocaleString()} bytes, SHA-256 <code data-testid="memory-sha256">{status.memory.sha256}</code>
        </p>
      )}
      {status.kind === 'cancelled' && <p>Cancelled after {status.done.toLocaleString()} messages.</p>}
      {status.kind === 'failed' && (
        <div role="alert" className="failure">
          <p>{status.message}</p>
          {status.details && <p className="details">{status.details}</p>}
        </div>
      )}
    </div>
  )
}
