/**
 * A balance as a token reported it: a whole decimal number (`amount`), or anything else, kept as
 * the `text` it was (`1e+21`, `ok`, `1.5`), which is no amount and never reaches `BigInt`.
 */
export type ParsedBalance = { amount: bigint } | { text: string }

const wholeDecimal = /^-?[0-9]+$/

/**
 * Reads one balance value of a token's `Balances` answer (see `decodeBalances`). A whole decimal
 * number, negative or with leading zeros too (`-5`, `007`), of any size, is an amount; scientific
 * notation, fractions, hex, blanks and words are text.
 */
export function parseBalance(value: string): ParsedBalance {
  return wholeDecimal.test(value) ? { amount: BigInt(value) } : { text: value }
}

