import { HttpError, NetworkError, RetriesExhaustedError, StateNotReadyError, type Unit } from './errors.ts'

/**
 * How requests to a unit are retried: how many attempts in all, the exponential backoff
 * (`baseDelayMs` doubling up to `maxDelayMs`, each delay scaled by 0.5–1 with `random`), the
 * longest `Retry-After` honoured, and the clock, sleep and listeners (injected by tests).
 */
export type RetryPolicy = {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  maxRetryAfterMs: number
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  now: () => number
  random: () => number
  /** Called before each wait: which unit, why, and for how long. */
  onWait?: ((wait: RetryWait) => void) | undefined
  /** Called when that wait is over (the request is sent again, or the signal aborted). */
  onWaitEnd?: ((wait: RetryWait) => void) | undefined
}

/** One wait before a retry: the unit's base URL, the status (undefined: no answer), why, and how long. */
export type RetryWait = { unit: Unit; url: string; status: number | undefined; reason: string; attempt: number; attempts: number; delayMs: number }

/** What a caller passes to a retried request: its abort signal and changes to the default policy. */
export type RetryingRequestOptions = { signal?: AbortSignal | undefined; retry?: Partial<RetryPolicy> | undefined }

/** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Five attempts, 0.5 s doubling to at most 8 s between them, a `Retry-After` honoured up to 60 s. */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  sleep: abortableSleep,
  now: () => Date.now(),
  random: () => Math.random(),
}

/**
 * Why a failure is worth another attempt, or undefined when it is not: a rate limit (429),
 * a server error (500, 502, 503, 504), no answer at all, or a state still being computed (202).
 * Every other status (422 unsupported format or broken hash chain, 425 not cached, 4xx) is
 * deterministic: asking again gives the same answer.
 */
export function retryReason(error: unknown): { status: number | undefined; reason: string; retryAfter: string | undefined } | undefined {
  if (error instanceof NetworkError) return { status: undefined, reason: 'no answer', retryAfter: undefined }
  if (error instanceof StateNotReadyError) return { status: 202, reason: 'state still being computed', retryAfter: error.retryAfter }
  if (error instanceof HttpError) {
    if (error.status === 429) return { status: 429, reason: 'rate limited', retryAfter: error.retryAfter }
    if ([500, 502, 503, 504].includes(error.status)) return { status: error.status, reason: 'server error', retryAfter: error.retryAfter }
  }
  return undefined
}

/**
 * How long a `Retry-After` header asks to wait, in ms: whole seconds, or an HTTP date (from
 * `now`); undefined when absent or unreadable. A date in the past is 0.
 */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  const value = header?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  // HTTP dates start with the day's name (IMF-fixdate, RFC 850, asctime).
  const date = /^[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * Runs `request` until it succeeds, retrying what is worth retrying (see `retryReason`) with
 * exponential backoff, or after the server's `Retry-After` (capped), up to `policy.attempts`
 * attempts. Each wait is announced to `onWait` (and its end to `onWaitEnd`).
 *
 * @param target the unit and its base URL, as waits and errors name them
 * @returns what `request` resolves to
 * @throws the signal's reason as soon as it aborts (also during a wait); a failure not worth
 *   retrying as it is; RetriesExhaustedError (its `cause` the last failure) after the last
 *   attempt, or the last failure itself when the policy allows one attempt
 */
export async function withRetries<T>(target: { unit: Unit; url: string }, request: () => Promise<T>, options: { policy?: Partial<RetryPolicy> | undefined; signal?: AbortSignal | undefined } = {}): Promise<T> {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.policy }
  const { signal } = options
  const attempts = Math.max(1, Math.floor(policy.attempts))
  let waitedMs = 0
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted()
    try {
      return await request()
    } catch (error) {
      signal?.throwIfAborted()
      const why = retryReason(error)
      if (!why || attempts === 1) throw error
      if (attempt >= attempts) throw new RetriesExhaustedError({ ...target, attempts, waitedMs }, error)
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + policy.random() / 2)
      const asked = retryAfterMs(why.retryAfter, policy.now())
      const delayMs = Math.round(asked === undefined ? backoff : Math.min(asked, policy.maxRetryAfterMs))
      const wait: RetryWait = { ...target, status: why.status, reason: why.reason, attempt, attempts, delayMs }
      policy.onWait?.(wait)
      try {
        await policy.sleep(delayMs, signal)
      } finally {
        policy.onWaitEnd?.(wait)
      }
      waitedMs += delayMs
    }
  }
}

/** A wait for a person: "waiting for http://… (429 rate limited, retry in 4 s)". */
export function describeWait(wait: RetryWait): string {
  const seconds = Math.max(1, Math.ceil(wait.delayMs / 1000))
  return `waiting for ${wait.url} (${wait.status === undefined ? '' : `${wait.status} `}${wait.reason}, retry in ${seconds} s, attempt ${wait.attempt + 1} of ${wait.attempts})`
}

/**
 * Listeners for a retry policy that keep the list of waits in progress and report it on every
 * change (a wait begins, a wait ends): what a progress line shows.
 */
export function trackWaits(onChange: (waits: RetryWait[]) => void): Pick<RetryPolicy, 'onWait' | 'onWaitEnd'> {
  const waits = new Set<RetryWait>()
  return {
    onWait(wait) {
      waits.add(wait)
      onChange([...waits])
    },
    onWaitEnd(wait) {
      if (waits.delete(wait)) onChange([...waits])
    },
  }
}

/** One line per unit being waited for (the latest wait of each), for a progress line. */
export function describeWaits(waits: readonly RetryWait[]): string[] {
  const latest = new Map<string, RetryWait>()
  for (const wait of waits) latest.set(wait.url, wait)
  return [...latest.values()].map(describeWait)
}
