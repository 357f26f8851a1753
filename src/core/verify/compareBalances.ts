import { parseBalance } from './parseBalance.ts'

/**
 * Orders two reported balances: amounts by value, then every value that is not a number (by its
 * text), whichever way amounts go when `descending`.
 *
 * @returns negative when `a` comes first, positive when `b` does, 0 when they are equal
 */
export function compareBalances(a: string, b: string, descending = false): number {
  const x = parseBalance(a)
  const y = parseBalance(b)
  if ('amount' in x && 'amount' in y) {
    const order = x.amount < y.amount ? -1 : x.amount > y.amount ? 1 : 0
    return descending ? -order : order
  }
  if ('amount' in x) return -1
  if ('amount' in y) return 1
  return x.text < y.text ? -1 : x.text > y.text ? 1 : 0
}
