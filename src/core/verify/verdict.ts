import type { ResultField } from './diffResults.ts'

/**
 * What a verification against one CU concluded. A verdict is a value: "diverged" means checked
 * and different; "unchecked" means it could not be checked (never a divergence).
 */
export type Verdict =
  | { status: 'verified'; cu: string; nonce: number }
  | { status: 'diverged'; cu: string; nonce: number; messageId: string; field: ResultField; local: unknown; remote: unknown }
  | { status: 'unchecked'; cu: string; reason: string; nonce?: number }
