import { describe, expect, it } from 'vitest'
import { HttpError, NetworkError, RetriesExhaustedError, StateNotReadyError } from './errors.ts'
import { describeWait, retryAfterMs, trackWaits, withRetries, type RetryPolicy, type RetryWait } from './withRetries.ts'

const cu = { unit: 'CU' as const, url: 'http://cu.test' }
const url = `${cu.url}/result/m?process-id=p`
const rateLimited = (retryAfter?: string) => new HttpError('CU', url, 429, 'slow down', retryAfter)

/** A policy whose sleep returns at once and records what it was asked to wait; the clock is fixed. */
function instant(overrides: Partial<RetryPolicy> = {}) {
  const slept: number[] = []
  const waits: RetryWait[] = []
  const policy: Partial<RetryPolicy> = {
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      slept.push(ms)
    },
    now: () => Date.parse('2026-12-02T12:00:00Z'),
    random: () => 1,
    onWait: (wait) => waits.push(wait),
    ...overrides,
  }
  return { policy, slept, waits }
}

/** A request that fails with `failures` in turn, then answers `value`. */
function failing<T>(failures: unknown[], value: T) {
  let calls = 0
  return {
    get calls() {
      return calls
    },
    request: async () => {
      const failure = failures[calls++]
      if (failure !== undefined) throw failure
      return value
    },
  }
}

describe('withRetries', () => {
  it('waits as long as Retry-After says, in seconds or as an HTTP date, then answers', async () => {
    const { policy, slept, waits } = instant()
    const server = failing([rateLimited('4'), rateLimited('Wed, 02 Dec 2026 12:00:07 GMT')], 'result')
    await expect(withRetries(cu, server.request, { policy })).resolves.toBe('result')
    expect(server.calls).toBe(3)
    expect(slept).toEqual([4000, 7000])
    expect(waits.map((w) => [w.url, w.status, w.attempt, w.attempts])).toEqual([
      [cu.url, 429, 1, 5],
      [cu.url, 429, 2, 5],
    ])
    expect(describeWait(waits[0]!)).toBe('waiting for http://cu.test (429 rate limited, retry in 4 s, attempt 2 of 5)')
  })

  it('caps a long Retry-After', async () => {
    const { policy, slept } = instant({ maxRetryAfterMs: 30_000 })
    await withRetries(cu, failing([rateLimited('3600')], 'ok').request, { policy })
    expect(slept).toEqual([30_000])
  })

  it('backs off exponentially without Retry-After (429, 5xx, no answer, 202), up to its ceiling', async () => {
    const { policy, slept, waits } = instant({ attempts: 6, baseDelayMs: 500, maxDelayMs: 4000 })
    const failures = [rateLimited(), new HttpError('CU', url, 503, 'hydrating'), new NetworkError('CU', url, new Error('ECONNREFUSED')), new StateNotReadyError(url, 'in progress'), new HttpError('CU', url, 502, undefined)]
    await expect(withRetries(cu, failing(failures, 'ok').request, { policy })).resolves.toBe('ok')
    expect(slept).toEqual([500, 1000, 2000, 4000, 4000])
    expect(waits.map((w) => w.status)).toEqual([429, 503, undefined, 202, 502])
    expect(describeWait(waits[2]!)).toBe('waiting for http://cu.test (no answer, retry in 2 s, attempt 4 of 6)')
  })

  it('spreads the backoff by the random factor (half to all of it)', async () => {
    const { policy, slept } = instant({ random: () => 0 })
    await withRetries(cu, failing([rateLimited(), rateLimited()], 'ok').request, { policy })
    expect(slept).toEqual([250, 500])
  })

  it('never retries a deterministic answer: 422, 425, 404', async () => {
    for (const status of [422, 425, 404]) {
      const { policy, slept } = instant()
      const server = failing([new HttpError('CU', url, status, 'no')], 'ok')
      const error = await withRetries(cu, server.request, { policy }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(HttpError)
      expect((error as HttpError).status).toBe(status)
      expect(server.calls).toBe(1)
      expect(slept).toEqual([])
    }
  })

  it('says what 422 and 425 from a CU mean', () => {
    expect(new HttpError('CU', url, 422, 'HashChain invalid on message m').message).toBe(
      `The CU at ${url} answered HTTP 422: HashChain invalid on message m. The CU cannot evaluate this process: it does not support its module format, or the hash chain of its log is broken. Asking again gives the same answer.`,
    )
    expect(new HttpError('CU', url, 425, 'message at nonce 1 not found cached').message).toBe(
      `The CU at ${url} answered HTTP 425: message at nonce 1 not found cached. The CU no longer has this old message cached (it answers only for messages after its cached state). Asking again gives the same answer; this is not a divergence.`,
    )
  })

  it('gives up after the last attempt, naming the CU, the attempts and the last failure', async () => {
    const { policy, slept } = instant({ attempts: 3 })
    const server = failing([rateLimited('1'), rateLimited('1'), rateLimited('1'), rateLimited('1')], 'ok')
    const error = await withRetries(cu, server.request, { policy }).catch((e: unknown) => e)
    expect(server.calls).toBe(3)
    expect(slept).toEqual([1000, 1000])
    expect(error).toBeInstanceOf(RetriesExhaustedError)
    expect((error as RetriesExhaustedError).cause).toBeInstanceOf(HttpError)
    expect((error as Error).message).toBe(
      `Gave up on the CU at http://cu.test after 3 attempts over 2 s of waiting: The CU at ${url} answered HTTP 429: slow down. It limits how often it may be asked: try again later, or ask fewer results at once (Settings).`,
    )
  })

  it('with one attempt, passes the failure on as it is', async () => {
    const { policy } = instant({ attempts: 1 })
    const busy = new StateNotReadyError(url, undefined)
    await expect(withRetries(cu, failing([busy], 'ok').request, { policy })).rejects.toBe(busy)
  })

  it('stops at once when the signal aborts during a wait, and does not ask again', async () => {
    const abort = new AbortController()
    const ended: RetryWait[] = []
    const { policy } = instant({
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
          abort.abort(new DOMException('cancelled', 'AbortError'))
        }),
      onWaitEnd: (wait) => ended.push(wait),
    })
    const server = failing([rateLimited('10')], 'ok')
    await expect(withRetries(cu, server.request, { policy, signal: abort.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(server.calls).toBe(1)
    expect(ended).toHaveLength(1)
  })

  it('does not send a request when the signal has already aborted', async () => {
    const abort = new AbortController()
    abort.abort(new DOMException('cancelled', 'AbortError'))
    const server = failing([], 'ok')
    await expect(withRetries(cu, server.request, { policy: instant().policy, signal: abort.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(server.calls).toBe(0)
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-02T12:00:00Z')
  it('reads seconds and HTTP dates; a past date is 0; anything else is undefined', () => {
    expect(retryAfterMs('120', now)).toBe(120_000)
    expect(retryAfterMs(' 0 ', now)).toBe(0)
    expect(retryAfterMs('Wed, 02 Dec 2026 12:01:00 GMT', now)).toBe(60_000)
    expect(retryAfterMs('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs('-3', now)).toBeUndefined()
    expect(retryAfterMs(undefined, now)).toBeUndefined()
  })
})

describe('trackWaits', () => {
  it('reports the waits in progress as they begin and end', async () => {
    const reports: string[][] = []
    const listeners = trackWaits((waits) => reports.push(waits.map(describeWait)))
    const { policy } = instant({ ...listeners })
    await withRetries(cu, failing([rateLimited('2')], 'ok').request, { policy })
    expect(reports).toEqual([['waiting for http://cu.test (429 rate limited, retry in 2 s, attempt 2 of 5)'], []])
  })
})
