import { BaseError } from '../core/errors/BaseError.ts'
import { describeError } from '../core/errors/describeError.ts'
import type { HostProfile } from '../core/host/types.ts'
import { nonceOf } from '../core/message/nonceOf.ts'
import type { AoEnv, AoMessage, SuNode } from '../core/message/types.ts'
import type { WorkerEvaluator } from '../eval/createWorkerEvaluator.ts'
import { VerificationStoppedError } from './lazyEvaluator.ts'
import type { ClaimDivergence, MemoryView } from './cuClaims.ts'

/** A replay asked to reach a nonce past the end of the log it was given. */
export class LogEndedError extends BaseError {
  override name = 'LogEndedError'
}

/** How `createHostProfileReplays` replays: evaluators under a profile, the log, the env. */
export type HostProfileReplaysOptions = {
  /** A new evaluator under `profile`, holding the state the replay starts from (`afterNonce`). */
  evaluatorFor(profile: HostProfile): Promise<WorkerEvaluator>
  /** The log after `afterNonce` (exclusive), page by page. */
  pages(afterNonce: number): AsyncIterable<SuNode[]>
  /** The message a CU builds for a log edge. */
  messageOf(node: SuNode): Promise<AoMessage>
  env: AoEnv
  /** The nonce the replay starts after (-1: from the process's first message). */
  afterNonce: number
}

/** Replays of one process under other host profiles, each advanced only as far as a claim needs. */
export type HostProfileReplays = {
  /**
   * The memory under `profile` after nonce `nonce`: the profile's replay is started on first
   * use and advanced to it (started afresh when asked for an earlier nonce). The view holds
   * until the next call for the same profile. Calls run one at a time.
   */
  memoryAt(profile: HostProfile, nonce: number): Promise<MemoryView>
  /** Stops every replay's worker. */
  terminate(): void
}

type Replay = { evaluator: Promise<WorkerEvaluator>; pages: AsyncIterator<SuNode[]>; buffered: SuNode[]; reached: number }

/**
 * Replays a process under other host profiles, lazily: a profile costs nothing until a memory
 * claim is checked under it, then one replay from the start, shared by every claim (of every
 * CU) checked under it in nonce order.
 */
export function createHostProfileReplays(options: HostProfileReplaysOptions): HostProfileReplays {
  const replays = new Map<string, Replay>()
  let queue: Promise<unknown> = Promise.resolve()
  let stopped = false

  const start = (profile: HostProfile): Replay => {
    const evaluator = options.evaluatorFor(profile)
    evaluator.catch(() => undefined)
    const replay: Replay = { evaluator, pages: options.pages(options.afterNonce)[Symbol.asyncIterator](), buffered: [], reached: options.afterNonce }
    replays.set(profile.id, replay)
    return replay
  }
  const stop = (replay: Replay | undefined) => {
    if (!replay) return
    void replay.evaluator.then((e) => e.terminate(), () => undefined)
    void replay.pages.return?.(undefined)
  }

  async function advance(profile: HostProfile, nonce: number): Promise<MemoryView> {
    if (stopped) throw new VerificationStoppedError('these host profile replays were stopped', { details: 'The verification ended; start it again to check this claim.' })
    let replay = replays.get(profile.id)
    if (replay && replay.reached > nonce) {
      stop(replay)
      replay = undefined
    }
    replay ??= start(profile)
    const evaluator = await replay.evaluator
    while (replay.reached < nonce) {
      if (!replay.buffered.length) {
        const page = await replay.pages.next()
        if (page.done) throw new LogEndedError(`the log ends at nonce ${replay.reached}, before nonce ${nonce}`, { details: 'The SU served fewer messages than the claim needs; verify again once it has them.' })
        replay.buffered = page.value
      }
      const due = replay.buffered.filter((node) => nonceOf(node) <= nonce)
      replay.buffered = replay.buffered.slice(due.length)
      if (!due.length) break
      await evaluator.evaluate(await Promise.all(due.map((node) => options.messageOf(node))), options.env)
      replay.reached = nonceOf(due[due.length - 1]!)
    }
    return { digest: (length) => evaluator.digest(length), bytes: async () => (await evaluator.snapshot()).memory }
  }

  return {
    memoryAt(profile, nonce) {
      const run = queue.then(() => advance(profile, nonce))
      queue = run.catch(() => undefined)
      return run
    },
    terminate() {
      stopped = true
      for (const replay of replays.values()) stop(replay)
      replays.clear()
    },
  }
}

/** What rechecking a memory claim under host profiles found. */
export type ProfileRecheck =
  | { held: true; profile: HostProfile }
  | { held: false; tried: HostProfile[]; divergence: ClaimDivergence | undefined; notes: string[] }

/**
 * Checks a memory claim that did not hold under Holoscope's host against the memory replayed
 * under each profile (`preferred`, the profile the CU's earlier claims held under, first) and
 * returns the first that reproduces it, or the profiles tried and the claim's divergence under
 * `preferred` (undefined without one). A replay that fails is a note: the claim is not taken
 * as held.
 */
export async function recheckUnderProfiles(
  replays: HostProfileReplays,
  profiles: readonly HostProfile[],
  preferred: HostProfile | undefined,
  nonce: number,
  recheck: (memory: MemoryView) => Promise<ClaimDivergence | undefined>,
): Promise<ProfileRecheck> {
  const order = preferred ? [preferred, ...profiles.filter((p) => p.id !== preferred.id)] : [...profiles]
  const notes: string[] = []
  let divergence: ClaimDivergence | undefined
  for (const profile of order) {
    let found: ClaimDivergence | undefined
    try {
      found = await recheck(await replays.memoryAt(profile, nonce))
    } catch (error) {
      notes.push(`The replay under host profile ${profile.label} failed: ${describeError(error).message}`)
      continue
    }
    if (!found) return { held: true, profile }
    if (profile === preferred) divergence = found
  }
  return { held: false, tried: order, divergence, notes }
}
