import type { HostProfile } from '../host/types.ts'
import type { AoEnv, AoMessage, EvalResult } from '../message/types.ts'
import type { ModuleOptions } from '../module/types.ts'
import type { EvaluatorMode } from './evaluatorMode.ts'
import type { MemoryDigest } from './memoryDigest.ts'
import type { Snapshot } from './snapshot.ts'

// The protocol between an evaluator worker (workers/evaluator.api.ts) and its caller
// (src/eval/createWorkerEvaluator.ts): plain data only, since only that crosses a worker.

/** An error as plain data (errors do not cross a worker boundary as classes). */
export type ErrorInfo = { name: string; message: string; details?: string }

/** The outcome of `load`. */
export type LoadOutcome = { ok: true } | { ok: false; error: ErrorInfo }

/** One evaluated message of a batch: its result and, when asked, the memory digest after it. */
export type Step = { result: EvalResult; memory?: MemoryDigest }

/** What `evaluateOnPort` posts on the step port for each message: its run and its step. */
export type PortStep = { run: number; step: Step }

/** The end of a channel the worker posts steps on (a DOM or a Node MessagePort). */
export type StepPort = { postMessage(message: PortStep): void }

/**
 * The evaluator API a worker exposes: plain async functions over plain data, one process per
 * worker (ao-loader replaces the realm's clocks and randomness). Usable without a worker too.
 */
export interface EvaluatorApi {
  /**
   * Compiles and instantiates a module (default mode `hot`), under `host` when given (the
   * realm's host profile: the worker pinned Holoscope's default when it started). Failures come
   * back as data.
   */
  load(wasm: Uint8Array, options: ModuleOptions, mode?: EvaluatorMode, host?: HostProfile): Promise<LoadOutcome>
  /** Sets the port `evaluateOnPort` posts steps on (transferred to the worker). */
  connect(port: StepPort): void
  /**
   * Evaluates messages in order and posts each step (with `digests`, also the memory digest
   * after the message) on the connected port as soon as it is done: a caller sends many
   * messages per call (a call costs far more than a posted step) and still hears of each
   * message, even when a later one never ends. `run` names the caller's run; once a call of a
   * run fails, its later calls evaluate nothing.
   */
  evaluateOnPort(run: number, messages: AoMessage[], env: AoEnv, digests?: boolean): Promise<void>
  /** Evaluates a read-only message on the current state. */
  query(msg: AoMessage, env: AoEnv): Promise<EvalResult>
  /** The current state, moved to the caller. */
  snapshot(): Promise<Snapshot>
  /** Replaces the state. */
  restore(snapshot: Snapshot): Promise<void>
  /** The digest of the current memory (optionally over its first `length` bytes). */
  digest(length?: number): Promise<MemoryDigest>
  /** Frees the loaded module. */
  dispose(): void
}
