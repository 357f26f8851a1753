import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react'
import { defaultCheckpointPolicy } from '../../core/checkpoint/checkpointPolicy.ts'
import { describeError } from '../../core/errors/describeError.ts'
import { spawnBrowserWorker } from '../../eval/browser/spawnBrowserWorker.ts'
import type { CheckpointClaim } from '../../core/checkpoint/checkpointClaim.ts'
import { describeWaits } from '../../net/withRetries.ts'
import { verifyProcess, type LoadedProcess, type Verification, type VerifyProgress } from '../../replay/verifyProcess.ts'
import type { Store } from '../../store/openStore.ts'
import { localStore } from '../settings/localStore.ts'
import { settingsHostProfiles, type Settings } from '../settings/settings.ts'

/**
 * The state of one verification, for a page. `notices` are what the user should know on the
 * way; `waiting` says which CUs are being waited for before a retry, and why (empty: none).
 */
export type VerificationState = { notices: string[]; waiting?: string[] } & (
  | { phase: 'loading'; loaded?: LoadedProcess; progress?: VerifyProgress }
  | { phase: 'done'; verification: Verification; balances: Record<string, string> | undefined }
  | { phase: 'failed'; message: string; details?: string | undefined; loaded?: LoadedProcess }
  | { phase: 'cancelled'; loaded?: LoadedProcess; progress?: VerifyProgress }
)

/** How a run starts: afresh (stored verdicts set aside) or from a CU checkpoint the user trusts. */
export type RunRequest = { recheck?: boolean; trust?: { cu: string; claim: CheckpointClaim } }

/**
 * Runs a verification of `processId` with `settings` (again when `restart` is called), keeping
 * checkpoints, results and verdicts in the browser's local store, with progress batched to
 * animation frames; `cancel` terminates the worker.
 */
export function useVerification(processId: string, settings: Settings) {
  const [state, setState] = useState<VerificationState>({ phase: 'loading', notices: [] })
  const [run, setRun] = useState<{ n: number; request: RunRequest }>({ n: 0, request: {} })
  const controller = useRef<AbortController | undefined>(undefined)

  useEffect(() => {
    const abort = new AbortController()
    controller.current = abort
    const log: RunLog = { frame: 0, settled: false, notices: [], waiting: [] }
    setState({ phase: 'loading', notices: [] })
    startRun({ processId, settings, request: run.request, signal: abort.signal }, log, setState)
      .then((verification) => showDone(verification, log, abort.signal, setState))
      .catch((error: unknown) => showEnd(error, log, abort.signal, setState))
    return () => {
      abort.abort()
      cancelAnimationFrame(log.frame)
      log.verification?.dispose()
    }
  }, [processId, settings, run])

  const cancel = useCallback(() => controller.current?.abort(), [])
  const restart = useCallback((request: RunRequest = {}) => setRun((r) => ({ n: r.n + 1, request })), [])
  return { state, cancel, restart }
}

type SetState = Dispatch<SetStateAction<VerificationState>>
type VerifyOptions = Parameters<typeof verifyProcess>[0]

/** What one run has seen so far, shared by its reports; `settled` once it ended either way. */
type RunLog = {
  loaded?: LoadedProcess
  latest?: VerifyProgress
  frame: number
  settled: boolean
  verification?: Verification
  notices: string[]
  waiting: string[]
}

/** What every phase of the state carries: the notices, the waits and what was loaded. */
function baseOf(log: RunLog) {
  return { notices: [...log.notices], waiting: log.waiting, ...(log.loaded ? { loaded: log.loaded } : {}) }
}

/** The app's local store, or undefined with a notice saying nothing is kept for the next visit. */
async function storeOrNotice(notices: string[]): Promise<Store | undefined> {
  try {
    return await localStore()
  } catch (error) {
    notices.push(`Local storage is not available (${describeError(error).message}): nothing is kept for the next visit.`)
    return undefined
  }
}

/** Starts verifying with the settings' endpoints and policy, reporting into `log` and the state. */
async function startRun(run: { processId: string; settings: Settings; request: RunRequest; signal: AbortSignal }, log: RunLog, setState: SetState): Promise<Verification> {
  const { processId, settings, request, signal } = run
  const store = await storeOrNotice(log.notices)
  return verifyProcess({
    processId,
    endpoints: { gateway: settings.gateway, su: settings.su || undefined, cus: settings.cus },
    spawn: spawnBrowserWorker,
    signal,
    store,
    policy: { ...defaultCheckpointPolicy, everyMessages: settings.checkpointEvery },
    cuWindow: settings.cuWindow,
    hostProfiles: settingsHostProfiles(settings),
    recheck: request.recheck,
    trustCheckpoint: request.trust,
    ...reports(log, setState),
  })
}

/** The run's reports turned into state while it goes on; progress painted at most once a frame. */
function reports(log: RunLog, setState: SetState): Pick<VerifyOptions, 'onWaiting' | 'onNotice' | 'onLoaded' | 'onProgress'> {
  return {
    onWaiting: (waits) => {
      log.waiting = describeWaits(waits)
      if (!log.settled) setState((s) => ({ ...s, waiting: log.waiting }))
    },
    onNotice: (text) => {
      log.notices.push(text)
      if (!log.settled) setState((s) => ({ ...s, notices: [...log.notices] }))
    },
    onLoaded: (loaded) => {
      log.loaded = loaded
      setState({ phase: 'loading', ...baseOf(log) })
    },
    onProgress: (progress) => {
      log.latest = progress
      if (log.frame) return
      log.frame = requestAnimationFrame(() => {
        log.frame = 0
        if (log.settled) return
        setState({ phase: 'loading', ...baseOf(log), ...(log.latest ? { progress: log.latest } : {}) })
      })
    },
  }
}

/** Shows the verdict at once; the balances (a local dry-run) follow once it is painted. */
async function showDone(verification: Verification, log: RunLog, signal: AbortSignal, setState: SetState): Promise<void> {
  log.settled = true
  cancelAnimationFrame(log.frame)
  log.verification = verification
  if (signal.aborted) return
  setState({ phase: 'done', verification, balances: undefined, notices: [...log.notices] })
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
  const balances = await verification.balances().catch(() => undefined)
  if (!signal.aborted && balances) setState({ phase: 'done', verification, balances, notices: [...log.notices] })
}

/** Shows a run that ended without a verification: cancelled, or failed with what went wrong. */
function showEnd(error: unknown, log: RunLog, signal: AbortSignal, setState: SetState): void {
  log.settled = true
  cancelAnimationFrame(log.frame)
  if (signal.aborted) {
    setState({ phase: 'cancelled', ...baseOf(log), ...(log.latest ? { progress: log.latest } : {}) })
    return
  }
  const { message, details } = describeError(error)
  setState({ phase: 'failed', message, details, ...baseOf(log) })
}
