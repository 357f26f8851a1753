import type { EvalResult } from '../message/types.ts'

/**
 * The balances a token reports to a `Balances` dry-run: the first outbox message whose Data is
 * a JSON object of account → amount (aos tokens and Holoscope's fixtures both answer so).
 *
 * Each value is kept as the token reported it (a JSON number as `String` writes it, so `1e21`
 * becomes `1e+21`): it need not be a whole decimal number. Read one with `parseBalance` before
 * any arithmetic or `BigInt`.
 *
 * @returns account → balance as reported, or undefined when the result has none
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
