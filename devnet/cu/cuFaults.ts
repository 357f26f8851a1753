import { HttpError, json } from '../lib/http.ts'
import type { CuLie } from './cuLies.ts'

/**
 * Faults a CU can be started with (all off by default). `lies` apply from nonce `lieFrom`
 * (default 0) on: results of those messages, dry-runs on states at those nonces, checkpoints
 * at those nonces. `delayMs` delays every response; `failStatus` answers every route but
 * `GET /` with that status (e.g. 429, 422, 503): with `failFirst` only the first K requests,
 * then honestly; with `retryAfter` it sends `Retry-After: S`. `uncachedBelow` answers 425 for
 * results, dry-runs and states before that nonce, as the official CU does for old messages it
 * no longer has cached. `state202Times` answers the first K `/state` requests with 202 (still
 * evaluating), then honestly.
 */
export type CuFaults = {
  lieFrom?: number
  lies?: CuLie[]
  delayMs?: number
  failStatus?: number
  failFirst?: number
  retryAfter?: number
  uncachedBelow?: number
  state202Times?: number
}

/** A counter that answers true to its first `times` calls, then false (`Infinity`: always true). */
export function firstTimes(times: number): () => boolean {
  let left = times
  return () => {
    if (left <= 0) return false
    left--
    return true
  }
}

/**
 * Wraps a CU's request handler with the `delayMs` and `failStatus` faults: every request waits
 * `delayMs`, then all but the healthcheck (`GET`/`HEAD /`) and `OPTIONS` fail with `failStatus`
 * (the first `failFirst` only, when given), with `Retry-After` when `retryAfter` is given.
 */
export function withFaults(faults: CuFaults, handle: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  const fails = firstTimes(faults.failFirst ?? Number.POSITIVE_INFINITY)
  return async (request) => {
    if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs))
    const { pathname } = new URL(request.url)
    const healthcheck = (request.method === 'GET' || request.method === 'HEAD') && pathname === '/'
    if (faults.failStatus && !healthcheck && request.method !== 'OPTIONS' && fails()) {
      const what = faults.failFirst === undefined ? 'to everything' : `to its first ${faults.failFirst} requests`
      return json({ error: `this CU answers ${faults.failStatus} ${what} (fault)` }, faults.failStatus, faults.retryAfter === undefined ? {} : { 'Retry-After': String(faults.retryAfter) })
    }
    return handle(request)
  }
}

/**
 * The official CU's 425 for a nonce before its cache (the `uncachedBelow` fault).
 *
 * @throws HttpError 425 when `nonce` is below `uncachedBelow`
 */
export function refuseUncached(faults: CuFaults, nonce: number): void {
  if (faults.uncachedBelow !== undefined && nonce < faults.uncachedBelow) {
    throw new HttpError(425, `message at nonce ${nonce} not found cached, and earlier than latest known nonce ${faults.uncachedBelow}`)
  }
}
