/**
 * Whether an IndexedDB failure means the disk quota was reached: a `QuotaExceededError` (or
 * Firefox's old name, or the legacy code 22), thrown by a request, set as the transaction's
 * `error` when it aborts (pass both), or wrapped as a `cause`.
 */
export function isQuotaError(...errors: unknown[]): boolean {
  return errors.some((error) => {
    for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
      const { name, code } = e as { name?: unknown; code?: unknown }
      if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22) return true
    }
    return false
  })
}

/** The error a full disk gives, for a store that caps itself (`maxBytes`). */
export function quotaExceeded(message: string): DOMException {
  return new DOMException(message, 'QuotaExceededError')
}
