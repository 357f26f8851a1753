import type { EvalResult } from '../message/types.ts'

/**
 * The balances a token reports to a `Balances` dry-run: the first outbox message whose Data is
 * a JSON object of account → amount (aos tokens and Holoscope's fixtures both answer so).
 *
 * @returns account → balance as decimal strings, or undefined when the result has none
 */
export function decodeBalances(result: EvalResult): Record<string, string> | undefined {
  for (const message of result.Messages) {
    const data = message['Data']
    if (typeof data !== 'string') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(data)
    } catch {
      continue
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) continue
    const entries = Object.entries(parsed as Record<string, unknown>)
    if (!entries.every(([, v]) => typeof v === 'string' || typeof v === 'number')) continue
    return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]))
  }
  return undefined
}
