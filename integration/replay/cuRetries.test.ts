import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployModules, sendMessage, spawnProcess, type SeedContext } from '../../devnet/seed.ts'
import type { Devnet } from '../../devnet/startDevnet.ts'
import { startTestDevnet } from '../../devnet/testing.ts'
import type { Verdict } from '../../src/core/verify/verdict.ts'
import { spawnNodeWorker } from '../../src/eval/node/spawnNodeWorker.ts'
import { describeWaits, type RetryPolicy } from '../../src/net/withRetries.ts'
import { verifyProcess } from '../../src/replay/verifyProcess.ts'

// One devnet: an honest CU (the MU's), one that rate-limits its first requests with
// Retry-After, one that no longer has any old message cached (425), one still computing its
// state twice (202) before answering, and one that rate-limits every request.
const faults = [undefined, { failStatus: 429, failFirst: 4, retryAfter: 2 }, { uncachedBelow: 1_000_000 }, { state202Times: 2 }, { failStatus: 429, retryAfter: 1 }]

let devnet: Devnet
let processId: string
const messages = 6

beforeAll(async () => {
  devnet = await startTestDevnet({ cus: faults.length, cuFaults: faults })
  const context: SeedContext = { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users: [] }
  const [module] = await deployModules(context, ['lua-token'])
  processId = await spawnProcess(context, context.deployer, module!.id, 'retry token')
  for (let i = 1; i <= messages; i++) {
    await sendMessage(context, context.deployer, processId, [{ name: 'Action', value: 'Transfer' }, { name: 'Recipient', value: devnet.wallets[`user-${i}`]!.address }, { name: 'Quantity', value: String(10 * i) }])
  }
  await devnet.mu.idle()
})
afterAll(() => devnet?.stop())

/** A retry policy that waits no wall-clock time: it records the waits it was asked for. */
function instantRetries() {
  const slept: Array<{ url: string; status: number | undefined; delayMs: number }> = []
  const retry: Partial<RetryPolicy> = {
    sleep: async (_delayMs, signal) => signal?.throwIfAborted(),
    onWait: ({ url, status, delayMs }) => slept.push({ url, status, delayMs }),
    random: () => 1,
  }
  return { retry, slept }
}

describe('verifyProcess against CUs that ask to be retried', () => {
  it('waits out a rate limit (honouring Retry-After) and a state still computing, and calls a CU that no longer caches old messages "could not check", never diverged', async () => {
    const [honest, limited, forgetful, busy] = devnet.ready.cus.map((c) => c.url) as [string, string, string, string]
    const { retry, slept } = instantRetries()
    const progressLines: string[][] = []
    const verification = await verifyProcess({
      processId,
      endpoints: { gateway: devnet.ready.gateway, cus: [honest, limited, forgetful, busy] },
      spawn: spawnNodeWorker,
      retry,
      onWaiting: (waits) => progressLines.push(describeWaits(waits)),
    })
    verification.dispose()
    const verdicts = verification.verdicts as [Verdict, Verdict, Verdict, Verdict]
    const full = { results: messages + 1, state: true, dryRun: true }
    expect(verdicts[0]).toMatchObject({ status: 'verified', nonce: messages, checked: full })
    expect(verdicts[1]).toMatchObject({ status: 'verified', nonce: messages, checked: full })
    expect(verdicts[3]).toMatchObject({ status: 'verified', nonce: messages, checked: full })
    expect(verdicts.some((v) => v.status === 'diverged')).toBe(false)
    expect(verdicts[2]).toMatchObject({ status: 'unchecked', cu: forgetful })
    if (verdicts[2].status === 'unchecked') {
      expect(verdicts[2].reason).toMatch(/answered HTTP 425: message at nonce \d+ not found cached.*no longer has this old message cached.*not a divergence/)
    }

    // The rate-limited CU: four 429s, each retried after the 2 s it asked for (not the backoff).
    const waitsFor = (url: string) => slept.filter((s) => s.url === url)
    expect(waitsFor(limited)).toEqual(Array.from({ length: 4 }, () => ({ url: limited, status: 429, delayMs: 2000 })))
    // The busy CU: two 202s on its state, retried with growing backoff.
    expect(waitsFor(busy)).toEqual([
      { url: busy, status: 202, delayMs: 500 },
      { url: busy, status: 202, delayMs: 1000 },
    ])
    // 425 is never retried; nothing waited for the honest CU.
    expect(waitsFor(forgetful)).toEqual([])
    expect(waitsFor(honest)).toEqual([])

    // What the progress line showed: which CU, why, and when it goes on; nothing once done.
    expect(progressLines.flat()).toContain(`waiting for ${limited} (429 rate limited, retry in 2 s, attempt 2 of 5)`)
    expect(progressLines.flat()).toContain(`waiting for ${busy} (202 state still being computed, retry in 1 s, attempt 2 of 5)`)
    expect(progressLines.at(-1)).toEqual([])
  })

  it('after the last attempt, a CU that keeps rate-limiting is "could not check" with the reason', async () => {
    const alwaysLimited = devnet.ready.cus[4]!.url
    const { retry, slept } = instantRetries()
    const verification = await verifyProcess({ processId, endpoints: { gateway: devnet.ready.gateway, cus: [alwaysLimited] }, spawn: spawnNodeWorker, retry: { ...retry, attempts: 3 } })
    verification.dispose()
    const [verdict] = verification.verdicts
    expect(verdict).toMatchObject({ status: 'unchecked', cu: alwaysLimited, nonce: 0 })
    if (verdict?.status === 'unchecked') {
      expect(verdict.reason).toBe(
        `Gave up on the CU at ${alwaysLimited} after 3 attempts over 2 s of waiting: The CU at ${alwaysLimited}/result/${processId}?process-id=${processId} answered HTTP 429: this CU answers 429 to everything (fault). It limits how often it may be asked: try again later, or ask fewer results at once (Settings).`,
      )
    }
    // Every request waited the Retry-After it was given, twice, then gave up.
    expect(slept.length).toBeGreaterThanOrEqual(2)
    expect(new Set(slept.map((s) => `${s.status} ${s.delayMs}`))).toEqual(new Set(['429 1000']))
  })
})
