import { useRef, useState, type FormEvent } from 'react'
import { describeError } from '../../core/errors/describeError.ts'
import { parseLocalLog } from '../../core/message/parseLocalLog.ts'
import { spawnBrowserWorker } from '../../eval/browser/spawnBrowserWorker.ts'
import type { EvaluatorMode } from '../../core/evaluator/evaluatorMode.ts'
import type { MemoryDigest } from '../../core/evaluator/memoryDigest.ts'
import { replayLocalLog, type ReplayProgress } from '../../replay/replayLocalLog.ts'
import type { ResultRow } from '../components/ResultsTable.tsx'

/** Where a local replay is: not started, running, done (its memory), cancelled or failed. */
export type LocalReplayStatus =
  | { kind: 'idle' }
  | { kind: 'running'; progress: ReplayProgress }
  | { kind: 'done'; memory: MemoryDigest; seconds: number }
  | { kind: 'cancelled'; done: number }
  | { kind: 'failed'; message: string; details?: string }

type Setters = { setRows: (rows: ResultRow[]) => void; setStatus: (status: LocalReplayStatus) => void }

/**
 * A replay of a local module over a local log in a Web Worker, started by submitting a form with
 * fields `module`, `log`, `format` and `mode`; `cancel` stops it. `rows` are the results so far.
 */
export function useLocalReplay() {
  const [status, setStatus] = useState<LocalReplayStatus>({ kind: 'idle' })
  const [rows, setRows] = useState<ResultRow[]>([])
  const abort = useRef<AbortController | null>(null)
  const start = async (event: FormEvent<HTMLFormElement>) => {
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
    try {
      await replayFiles({ moduleFile, logFile, format: String(form.get('format') ?? ''), mode: form.get('mode') as EvaluatorMode, signal: controller.signal }, { setRows, setStatus })
    } finally {
      abort.current = null
    }
  }
  const cancel = () => abort.current?.abort()
  return { status, rows, start, cancel }
}

type ReplayInput = { moduleFile: File; logFile: File; format: string; mode: EvaluatorMode; signal: AbortSignal }

/** Replays `moduleFile` over `logFile`, showing rows and progress once per animation frame. */
async function replayFiles({ moduleFile, logFile, format, mode, signal }: ReplayInput, { setRows, setStatus }: Setters): Promise<void> {
  const collected: ResultRow[] = []
  setRows([])
  setStatus({ kind: 'running', progress: { done: 0, total: 0, perSecond: 0 } })
  const started = performance.now()
  let latest: ReplayProgress | undefined
  let finished = false
  try {
    const log = parseLocalLog(await logFile.text(), logFile.name)
    setStatus({ kind: 'running', progress: { done: 0, total: log.messages.length, perSecond: 0 } })
    const { memory } = await replayLocalLog({
      wasm: new Uint8Array(await moduleFile.arrayBuffer()),
      log,
      spawn: spawnBrowserWorker,
      mode,
      signal,
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
    if (signal.aborted) setStatus({ kind: 'cancelled', done: collected.length })
    else setStatus({ kind: 'failed', ...describeError(error) })
  }
}
