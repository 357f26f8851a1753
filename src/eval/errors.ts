import { BaseError } from '../core/errors/BaseError.ts'

/** The module bytes are not a WebAssembly module this evaluator can compile. */
export class ModuleCompileError extends BaseError {
  override name = 'ModuleCompileError'
}

/** A message did not finish in time; the worker running it was terminated. */
export class EvaluationTimeoutError extends BaseError {
  override name = 'EvaluationTimeoutError'
}

/** Replaying messages that had succeeded gave a different outcome: the module is not deterministic. */
export class NondeterministicReplayError extends BaseError {
  override name = 'NondeterministicReplayError'
}

/** The process's memory grew beyond its Memory-Limit. */
export class MemoryLimitError extends BaseError {
  override name = 'MemoryLimitError'
}

/**
 * The host (this browser or Node) could not do what the module's glue asked of it, so the
 * module's result would be the host's failure, not the module's. Never recorded as a result.
 */
export class EvaluatorHostError extends BaseError {
  override name = 'EvaluatorHostError'
}
