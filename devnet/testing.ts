import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevnet, type Devnet, type DevnetOptions } from './startDevnet.ts'

/** The developer's devnet wallets: generated once, shared by tests (key generation is slow). */
export const sharedWalletsDir = new URL('../.devnet/wallets', import.meta.url).pathname

/**
 * Starts a devnet for a test: free ports, a temporary state directory (deleted on stop),
 * nothing seeded unless asked, one CU unless asked.
 */
export async function startTestDevnet(options: Partial<DevnetOptions> = {}): Promise<Devnet> {
  const dir = mkdtempSync(join(tmpdir(), 'holoscope-devnet-'))
  const devnet = await startDevnet({ seed: 'none', cus: 1, checkpointEvery: 0, ...options, dir, walletsDir: sharedWalletsDir })
  return {
    ...devnet,
    async stop() {
      await devnet.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Makes `fetch` answer every non-loopback URL with an error response, as when offline:
 * aoconnect first asks hard-coded public hosts (an SU router, a HyperBEAM cache) and falls
 * back to the gateway when they fail. Returns the hosts it refused, and a function to undo.
 */
export function offlineFetch(): { refused: string[]; restore(): void } {
  const original = globalThis.fetch
  const refused: string[] = []
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      refused.push(url.host)
      return new Response(JSON.stringify({ error: `offline: ${url.host} is not reachable from the devnet tests` }), { status: 503 })
    }
    return original(input, init)
  }) as typeof fetch
  return {
    refused,
    restore() {
      globalThis.fetch = original
    },
  }
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
