import { useCallback, useEffect, useRef, useState } from 'react'
import { describeError } from '../../core/errors/describeError.ts'
import { spawnBrowserWorker } from '../../eval/browser/spawnBrowserWorker.ts'
import { verifyProcess, type LoadedProcess, type Verification, type VerifyProgress } from '../../replay/verifyProcess.ts'
import type { Settings } from '../settings/settings.ts'

/** The state of one verification, for a page. */
export type VerificationState =
  | { phase: 'loading'; loaded?: LoadedProcess; progress?: VerifyProgress }
  | { phase: 'done'; verification: Verification; balances: Record<string, string> | undefined }
  | { phase: 'failed'; message: string; details?: string | undefined; loaded?: LoadedProcess }
  | { phase: 'cancelled'; loaded?: LoadedProcess; progress?: VerifyProgress }

/**
 * Runs a verification of `processId` with `settings` (again when `restart` is called), with
 * progress batched to animation frames; `cancel` terminates the worker.
 */
export function useVerification(processId: string, settings: Settings) {
  const [state, setState] = useState<VerificationState>({ phase: 'loading' })
  const [run, setRun] = useState(0)
  const controller = useRef<AbortController | undefined>(undefined)

  useEffect(() => {
    const abort = new AbortController()
    controller.current = abort
    let loaded: LoadedProcess | undefined
    let latest: VerifyProgress | undefined
    let frame = 0
    let verification: Verification | undefined
    let settled = false
    setState({ phase: 'loading' })
    verifyProcess({
      processId,
      endpoints: { gateway: settings.gateway, su: settings.su || undefined, cus: settings.cus },
      spawn: spawnBrowserWorker,
      signal: abort.signal,
      onLoaded: (l) => {
        loaded = l
        setState({ phase: 'loading', loaded: l })
      },
      onProgress: (p) => {
        latest = p
        if (frame) return
        frame = requestAnimationFrame(() => {
          frame = 0
          if (settled) return
          setState({ phase: 'loading', ...(loaded ? { loaded } : {}), ...(latest ? { progress: latest } : {}) })
        })
      },
    })
      .then(async (v) => {
        settled = true
        cancelAnimationFrame(frame)
        verification = v
        let balances: Record<string, string> | undefined
        try {
          balances = await v.balances()
        } catch {
          balances = undefined
        }
        if (!abort.signal.aborted) setState({ phase: 'done', verification: v, balances })
      })
      .catch((error: unknown) => {
        settled = true
        cancelAnimationFrame(frame)
        if (abort.signal.aborted) {
          setState({ phase: 'cancelled', ...(loaded ? { loaded } : {}), ...(latest ? { progress: latest } : {}) })
          return
        }
        const { message, details } = describeError(error)
        setState({ phase: 'failed', message, details, ...(loaded ? { loaded } : {}) })
      })
    return () => {
      abort.abort()
      cancelAnimationFrame(frame)
      verification?.dispose()
    }
  }, [processId, settings, run])

  const cancel = useCallback(() => controller.current?.abort(), [])
  const restart = useCallback(() => setRun((n) => n + 1), [])
  return { state, cancel, restart }
}
