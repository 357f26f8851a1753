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

/**
 * The evaluator's worker crashed, exited or could not start: its state is gone. Replaying again
 * starts a fresh worker.
 */
export class EvaluatorWorkerError extends BaseError {
  override name = 'EvaluatorWorkerError'
}

/** The evaluator was stopped (terminated) before or while it was asked something: create a new one. */
export class EvaluatorStoppedError extends BaseError {
  override name = 'EvaluatorStoppedError'
}

/** The worker API was called out of order (a caller's mistake, not the module's): load, connect, then evaluate. */
export class EvaluatorApiOrderError extends BaseError {
  override name = 'EvaluatorApiOrderError'
}

/** A worker entry was started outside a worker. */
export class WorkerEntryError extends BaseError {
  override name = 'WorkerEntryError'
}

/** The instance trapped on an earlier message and is unusable until a snapshot is restored. */
export class InstanceBrokenError extends BaseError {
  override name = 'InstanceBrokenError'

  constructor() {
    super('the instance trapped on an earlier message; restore a snapshot first', {
      details: 'A trap leaves the module instance unusable: restore the last snapshot (or start the evaluator again) before evaluating more messages.',
    })
  }
}

/** The module lacks an export every evaluator needs (its linear memory, `handle`). */
export class ModuleInterfaceError extends BaseError {
  override name = 'ModuleInterfaceError'

  /** `message` says what is missing. */
  constructor(message: string) {
    super(message, { details: "It is not an AO module this evaluator can run: check the module id and the Module-Format of the process's module." })
  }
}

/** The module's `handle` returned something that is not a result (not JSON). */
export class ModuleResultError extends BaseError {
  override name = 'ModuleResultError'
}

/** A snapshot does not fit the module it is restored into (memory size, number of globals). */
export class SnapshotMismatchError extends BaseError {
  override name = 'SnapshotMismatchError'
}

/** AssemblyScript module bytes were not compiled with `prepareAssemblyScriptModule` (a caller's mistake). */
export class UnpreparedModuleError extends BaseError {
  override name = 'UnpreparedModuleError'
}

/** This realm already runs ao-loader for another host profile; each host profile needs its own worker. */
export class AoLoaderRealmError extends BaseError {
  override name = 'AoLoaderRealmError'
}

/** ao-loader's source lacks what Holoscope patches in it (another ao-loader build). */
export class AoLoaderPatchError extends BaseError {
  override name = 'AoLoaderPatchError'

  /** `what` says which part of ao-loader `version` was not found. */
  constructor(version: string, what: string) {
    super(`ao-loader ${version}: ${what}`, {
      details: 'This ao-loader is not the published build Holoscope patches: reinstall the pinned versions (npm ci).',
    })
  }
}

/** A recorded CU-way reference is missing, or was recorded over other module bytes or another log. */
export class CuReferenceError extends BaseError {
  override name = 'CuReferenceError'
}
