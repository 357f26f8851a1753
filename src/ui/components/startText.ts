import type { Start } from '../../replay/verifyProcess.ts'

/** Where the replay started, in words. */
export function startText(start: Start): string {
  if (start.source === 'genesis') return 'from nonce 0'
  if (start.source === 'local-checkpoint') return `from a checkpoint kept in this browser at nonce ${start.nonce.toLocaleString()}`
  return `from CU ${start.cu}'s checkpoint at nonce ${start.nonce.toLocaleString()} (trusted, not verified)`
}
