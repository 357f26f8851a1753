import { useRef, useState, type FormEvent } from 'react'
import { describeError } from '../../core/errors/describeError.ts'
import { parseLocalLog } from '../../core/message/parseLocalLog.ts'
import { moduleFormats } from '../../core/module/types.ts'
import { spawnBrowserWorker } from '../../eval/browser/spawnBrowserWorker.ts'
import type { EvaluatorMode } from '../../eval/createEvaluator.ts'
import type { MemoryDigest } from '../../eval/memoryDigest.ts'
import { replayLocalLog, type ReplayProgress } from '../../replay/replayLocalLog.ts'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { ResultsTable, type ResultRow } from '../components/ResultsTable.tsx'

type Status =
  | { kind: 'idle' }
  | { kind: 'running'; progress: ReplayProgress }
  | { kind: 'done'; memory: MemoryDigest; seconds: number }
  | { kind: 'cancelled'; done: number }
  | { kind: 'failed'; message: string; details?: string }

/** Replays a local module over a local log in a Web Worker, with no network. */
export function LocalReplayPage() {
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const [rows, setRows] = useState<ResultRow[]>([])
  const abort = useRef<AbortController | null>(null)

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const moduleFile = form.get('module')
    const logFile = form.get('log')
    if (!(moduleFile instanceof File) || moduleFile.size === 0 || !(logFile instanceof File) || logFile.size === 0) {
      setStatus({ kind: 'failed', message: 'Choose a module (.wasm) and a log (.json) first.' })
      return
    }
    const controller = new AbortController()
    abort.current = controller
    const collected: ResultRow[] = []
    setRows([])
    setStatus({ kind: 'running', progress: { done: 0, total: 0, perSecond: 0 } })
    const started = performance.now()
    let latest: ReplayProgress | undefined
    let finished = false
    try {
      const log = parseLocalLog(await logFile.text(), logFile.name)
      setStatus({ kind: 'running', progress: { done: 0, total: log.messages.length, perSecond: 0 } })
      const format = String(form.get('format') ?? '')
      const { memory } = await replayLocalLog({
        wasm: new Uint8Array(await moduleFile.arrayBuffer()),
        log,
        spawn: spawnBrowserWorker,
        mode: form.get('mode') as EvaluatorMode,
        signal: controller.signal,
        ...(format ? { format } : {}),
        onStep(msg, step, progress) {
          collected.push({ msg, result: step.result })
          // One paint per frame, always of the latest progress, however fast messages go.
          if (latest === undefined) {
            requestAnimationFrame(() => {
              if (!finished && latest) {
                setRows([...collected])
                setStatus({ kind: 'running', progress: latest })
              }
              latest = undefined
            })
          }
          latest = progress
        },
      })
      finished = true
      setRows([...collected])
      setStatus({ kind: 'done', memory, seconds: (performance.now() - started) / 1000 })
    } catch (error) {
      finished = true
      setRows([...collected])
      if (controller.signal.aborted) setStatus({ kind: 'cancelled', done: collected.length })
      else setStatus({ kind: 'failed', ...describeError(error) })
    } finally {
      abort.current = null
    }
  }

  const running = status.kind === 'running'
  const errors = rows.filter((row) => row.result.Error !== undefined).length
  return (
    <section aria-labelledby="local-replay">
      <h2 id="local-replay">Replay a local module</h2>
      <p>Runs a module over a message log in a Web Worker, exactly as a CU would, without any network.</p>
      <form onSubmit={start} className="replay-form">
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
            {moduleFormats.map((f) => <option key={f} value={f}>{f}</option>)}
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
          <button type="submit" disabled={running}>Replay</button>
          <button type="button" disabled={!running} onClick={() => abort.current?.abort()}>Cancel</button>
        </div>
      </form>
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
      <ResultsTable rows={rows} />
    </section>
  )
}
