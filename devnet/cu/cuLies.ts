import { tagValue } from '../../src/core/message/tagValue.ts'
import type { EvalResult, OutboxItem, Tag } from '../../src/core/message/types.ts'

/** What a lying CU misreports (its own state stays honest). */
export type CuLie = 'output' | 'messages' | 'dryrun-balance' | 'checkpoint-sha' | 'state'

/**
 * A result as a lying CU reports it: with 'output', a different Output; with 'messages', the
 * first outbox message changed (its Quantity tag, else its Data), or one added when there is
 * none, addressed to `decoyTarget` (a wallet, so an MU pushing this outbox does not loop).
 * The given result is not changed.
 */
export function lieAboutResult(result: EvalResult, lies: ReadonlySet<CuLie>, decoyTarget: string): EvalResult {
  const out = structuredClone(result)
  if (lies.has('output')) out.Output = alteredOutput(out.Output)
  if (lies.has('messages')) {
    const first = out.Messages[0]
    if (!first) out.Messages.push({ Target: decoyTarget, Data: 'altered', Anchor: '0'.repeat(32), Tags: [{ name: 'Action', value: 'Altered-Notice' }] })
    else {
      const tags = tagsOf(first)
      const quantity = tags.find((t) => t.name === 'Quantity')
      if (quantity) quantity.value = bump(quantity.value)
      else first['Data'] = `${typeof first['Data'] === 'string' ? first['Data'] : ''} (altered)`
    }
  }
  return out
}

/**
 * A dry-run result as a CU lying about balances reports it: the `Balance` tag and Data of a
 * Balance-Response one more, and one account's balance inside a Balances-Response one more.
 */
export function lieAboutBalances(result: EvalResult): EvalResult {
  const out = structuredClone(result)
  for (const message of out.Messages) {
    const tags = tagsOf(message)
    const action = tagValue(tags, 'Action')
    if (action === 'Balance-Response') {
      const balance = tags.find((t) => t.name === 'Balance')
      if (balance) balance.value = bump(balance.value)
      if (typeof message['Data'] === 'string') message['Data'] = bump(message['Data'])
    } else if (action === 'Balances-Response' && typeof message['Data'] === 'string') {
      message['Data'] = bumpOneBalance(message['Data'])
    }
  }
  return out
}

/** A SHA-256 hex digest with its last digit changed. */
export function wrongSha256(hex: string): string {
  const last = hex.slice(-1)
  return hex.slice(0, -1) + (last === '0' ? '1' : '0')
}

function alteredOutput(output: unknown): unknown {
  if (typeof output === 'string') return output === '' ? '(altered)' : `${output} (altered)`
  if (output && typeof output === 'object' && typeof (output as { data?: unknown }).data === 'string') {
    return { ...(output as object), data: `${(output as { data: string }).data} (altered)` }
  }
  return `${JSON.stringify(output ?? null)} (altered)`
}

function tagsOf(item: OutboxItem): Tag[] {
  return Array.isArray(item['Tags']) ? (item['Tags'] as Tag[]) : []
}

/** A decimal amount plus one; anything else with a digit appended. */
function bump(value: string): string {
  return /^\d+$/.test(value) ? String(BigInt(value) + 1n) : `${value}1`
}

function bumpOneBalance(data: string): string {
  try {
    const balances = JSON.parse(data) as unknown
    if (balances && typeof balances === 'object' && !Array.isArray(balances)) {
      const record = balances as Record<string, unknown>
      const account = Object.keys(record)[0]
      if (account !== undefined) {
        record[account] = bump(String(record[account]))
        return JSON.stringify(record)
      }
    }
  } catch {
    // not JSON: fall through
  }
  return bump(data)
}

/** A memory as a CU lying about its state reports it: a copy with the byte at the middle changed. */
export function lieAboutMemory(memory: Uint8Array): Uint8Array {
  const out = memory.slice()
  out[out.length >> 1]! ^= 0x01
  return out
}
