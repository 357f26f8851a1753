import type { AoEnv, AoMessage, EvalResult, Tag } from '../core/message/types.ts'
import type { Snapshot } from '../core/evaluator/snapshot.ts'
import type { ModuleFormat, ModuleOptions } from '../core/module/types.ts'

export type { ModuleFormat, ModuleOptions }

/**
 * One process's module, running hot. Messages are evaluated one at a time, in log order,
 * with the CU's semantics: a result carrying `Error` leaves the memory as it was before
 * that message.
 */
export interface Evaluator {
  readonly options: ModuleOptions
  /** Evaluates the next message of the log and moves the state forward. */
  evaluate(msg: AoMessage, env: AoEnv): Promise<EvalResult>
  /** Evaluates a read-only message (dry-run) on the current state without changing it. */
  query(msg: AoMessage, env: AoEnv): Promise<EvalResult>
  /** A copy of the current state. */
  snapshot(): Snapshot
  /** Replaces the current state with `snapshot` (taken from an instance of the same module). */
  restore(snapshot: Snapshot): Promise<void>
  /** The current linear memory, not copied: valid until the next call. */
  memory(): Uint8Array
  /** Frees the instance. */
  dispose(): void
}

/** Module tags as read from the gateway, for `createEvaluator`. */
export type ModuleTags = Tag[]

/**
 * One live instance of a module: the format-specific part under an `Evaluator`.
 * The evaluator adds the CU's semantics (error rollback, read-only queries) on top.
 */
export interface Engine {
  /**
   * Runs the module's `handle` on the live instance and returns its response.
   * Rejects when the module reported `ok: false`, trapped or ran out of gas; the instance
   * may then be unusable until `restore` is called.
   */
  handle(msg: AoMessage, env: AoEnv): Promise<EvalResult>
  /**
   * A copy of the instance's whole state. With `reuse`, copies into its buffer, grown in place
   * when the memory grew (allocating a large buffer afresh costs far more than copying into
   * one); with null, into a new buffer that later calls can reuse that way. Without either, an
   * exact copy (one that can be transferred to another thread).
   */
  snapshot(reuse?: Snapshot | null): Snapshot
  /** Replaces the state with `snapshot`, or with a fresh instance's initial state when null. */
  restore(snapshot: Snapshot | null): Promise<void>
  /** The live linear memory (not copied). */
  memory(): Uint8Array
  dispose(): void
}

/** Creates a fresh engine for compiled module bytes. */
export type EngineFactory = (wasm: WebAssembly.Module, options: ModuleOptions) => Promise<Engine>
