import { EvaluatorHostError } from '../errors.ts'

/**
 * What went wrong in the host (not in the module) during one call into an instance. The
 * glue swallows such failures or turns them into module errors, so they are recorded here and
 * `check()` throws the first one after the call: the result would be the host's, not the module's.
 */
export type HostFaults = {
  /** Records a host failure (the first one is kept). */
  record(message: string, details: string, cause?: unknown): void
  /** Throws the recorded failure as an EvaluatorHostError, once. */
  check(): void
}

/** A fresh recorder of host faults for one instance. */
export function createHostFaults(): HostFaults {
  let fault: EvaluatorHostError | undefined
  return {
    record(message, details, cause) {
      fault ??= new EvaluatorHostError(message, cause === undefined ? { details } : { details, cause })
    },
    check() {
      const error = fault
      fault = undefined
      if (error) throw error
    },
  }
}
