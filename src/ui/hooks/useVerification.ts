import { useCallback, useEffect, useRef, useState } from 'react'
import { defaultCheckpointPolicy } from '../../core/checkpoint/checkpointPolicy.ts'
import { describeError } from '../../core/errors/describeError.ts'
import { spawnBrowserWorker } from '../../eval/browser/spawnBrowserWorker.ts'
import type { CheckpointClaim } from '../../net/checkpoints.ts'
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
    let loaded: LoadedProcess | undefined
    let latest: VerifyProgress | undefined
    let frame = 0
    let settled = false
    let verification: Verification | undefined
    const notices: string[] = []
    let waiting: string[] = []
    const base = () => ({ notices: [...notices], waiting, ...(loaded ? { loaded } : {}) })
    setState({ phase: 'loading', notices: [] })
    const start = async () => {
      let store: Store | undefined
      try {
        store = await localStore()
      } catch (error) {
        notices.push(`Local storage is not available (${describeError(error).message}): nothing is kept for the next visit.`)
      }
      return verifyProcess({
        processId,
        endpoints: { gateway: settings.gateway, su: settings.su || undefined, cus: settings.cus },
        spawn: spawnBrowserWorker,
        signal: abort.signal,
        store,
        policy: { ...defaultCheckpointPolicy, everyMessages: settings.checkpointEvery },
        cuWindow: settings.cuWindow,
        hostProfiles: settingsHostProfiles(settings),
        recheck: run.request.recheck,
        trustCheckpoint: run.request.trust,
        onWaiting: (waits) => {
          waiting = describeWaits(waits)
          if (!settled) setState((s) => ({ ...s, waiting }))
        },
        onNotice: (text) => {
          notices.push(text)
          if (!settled) setState((s) => ({ ...s, notices: [...notices] }))
        },
        onLoaded: (l) => {
          loaded = l
          setState({ phase: 'loading', ...base() })
        },
        onProgress: (p) => {
          latest = p
          if (frame) return
          frame = requestAnimationFrame(() => {
            frame = 0
            if (settled) return
            setState({ phase: 'loading', ...base(), ...(latest ? { progress: latest } : {}) })
          })
        },
      })
    }
    start()
      .then(async (v) => {
        settled = true
        cancelAnimationFrame(frame)
        verification = v
        // The verdict shows at once; the balances (a local dry-run) follow once it is painted.
        if (abort.signal.aborted) return
        setState({ phase: 'done', verification: v, balances: undefined, notices: [...notices] })
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
        const balances = await v.balances().catch(() => undefined)
        if (!abort.signal.aborted && balances) setState({ phase: 'done', verification: v, balances, notices: [...notices] })
      })
      .catch((error: unknown) => {
        settled = true
        cancelAnimationFrame(frame)
        if (abort.signal.aborted) {
          setState({ phase: 'cancelled', ...base(), ...(latest ? { progress: latest } : {}) })
          return
        }
        const { message, details } = describeError(error)
        setState({ phase: 'failed', message, details, ...base() })
      })
    return () => {
      abort.abort()
      cancelAnimationFrame(frame)
      verification?.dispose()
    }
  }, [processId, settings, run])

  const cancel = useCallback(() => controller.current?.abort(), [])
  const restart = useCallback((request: RunRequest = {}) => setRun((r) => ({ n: r.n + 1, request })), [])
  return { state, cancel, restart }
}
