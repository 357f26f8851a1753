import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from '../encoding/base64url.ts'
import type { EvalResult, OutboxItem } from '../message/types.ts'
import { canonicalJson } from './canonicalJson.ts'

/**
 * A result as verifications compare it (the rules of `diffResults`): whether there is an Error
 * (its text varies between hosts), Output with absent/null as "" and a number as its string,
 * outbox lists with absent as empty. GasUsed and Patches are left out.
 */
export type NormalizedResult = { Error: boolean; Output: unknown; Messages: OutboxItem[]; Spawns: OutboxItem[]; Assignments: OutboxItem[] }

/** Normalizes a result for hashing (see `NormalizedResult`). */
export function normalizeResult(result: EvalResult): NormalizedResult {
  const output = result.Output === undefined || result.Output === null ? '' : typeof result.Output === 'number' ? String(result.Output) : result.Output
  return {
    Error: result.Error !== undefined && result.Error !== null && result.Error !== '',
    Output: output,
    Messages: result.Messages ?? [],
    Spawns: result.Spawns ?? [],
    Assignments: result.Assignments ?? [],
  }
}

const encoder = new TextEncoder()
const hexPattern = /^[0-9a-f]{64}$/

/** The cumulative hash before any message: hex sha256 of the UTF-8 text "holoscope/cumulative-hash/v1". */
export const cumulativeGenesis = toHex(sha256(encoder.encode('holoscope/cumulative-hash/v1')))

/**
 * The cumulative hash after one more message, a rolling commitment to every result (and
 * checkpointed memory) so far, so two parties compare one value instead of the whole history:
 *
 * `next = sha256(prev ‖ nonce ‖ sha256(canonicalJson(normalizeResult(result))) [‖ memorySha256])`
 *
 * with `prev` and `memorySha256` as their 32 bytes (given as lowercase hex), `nonce` as 8 bytes
 * big-endian, the result's canonical JSON (keys sorted) hashed first so every part has a fixed
 * length: an input of 72 bytes has no memory hash, one of 104 bytes has one.
 *
 * @param memorySha256 the hex SHA-256 of the memory after this message, at checkpoints
 * @returns lowercase hex
 * @throws TypeError for a prev or memory hash that is not 64 hex digits, or a nonce that is
 *   not a non-negative safe integer
 */
export function nextCumulativeHash(prev: string, nonce: number, result: EvalResult, memorySha256?: string): string {
  if (!hexPattern.test(prev)) throw new TypeError(`the previous cumulative hash must be 64 lowercase hex digits, not ${JSON.stringify(prev)}`)
  if (!Number.isSafeInteger(nonce) || nonce < 0) throw new TypeError(`nonce ${nonce} is not a non-negative integer`)
  if (memorySha256 !== undefined && !hexPattern.test(memorySha256)) throw new TypeError(`the memory SHA-256 must be 64 lowercase hex digits, not ${JSON.stringify(memorySha256)}`)
  const input = new Uint8Array(memorySha256 === undefined ? 72 : 104)
  input.set(fromHex(prev), 0)
  new DataView(input.buffer).setBigUint64(32, BigInt(nonce))
  input.set(sha256(encoder.encode(canonicalJson(normalizeResult(result)))), 40)
  if (memorySha256 !== undefined) input.set(fromHex(memorySha256), 72)
  return toHex(sha256(input))
}

/** One step of a cumulative hash: a message's nonce, its result, the memory hash when checkpointed. */
export type CumulativeStep = { nonce: number; result: EvalResult; memorySha256?: string | undefined }

/**
 * Folds `nextCumulativeHash` over steps in order, from `from` (default the genesis value).
 *
 * @throws TypeError as `nextCumulativeHash`
 */
export function cumulativeHashOf(steps: Iterable<CumulativeStep>, from: string = cumulativeGenesis): string {
  let hash = from
  for (const step of steps) hash = nextCumulativeHash(hash, step.nonce, step.result, step.memorySha256)
  return hash
}

/** Where a remote party's claims and local values first part, found by `findFirstDivergence`. */
export type Divergence =
  | { status: 'agreed'; lastAgreed: number | undefined; probes: number[]; unavailable: number[] }
  | { status: 'diverged'; nonce: number; local: string; remote: string; lastAgreed: number | undefined; probes: number[]; unavailable: number[] }

type MaybePromise<T> = T | Promise<T>

/**
 * Binary search for the first claim point at which a remote claim (a cumulative hash, or a
 * checkpoint's memory hash) differs from the local value at the same nonce. It assumes that
 * once they differ they stay different, which holds for cumulative hashes and, in practice,
 * for memory; so it asks about log2(points) claims rather than all. Points whose claim is
 * unavailable (`claimAt` gives undefined) are left out and listed.
 *
 * @param points the nonces where remote claims exist (any order; duplicates ignored)
 * @returns `agreed` (with the last agreeing point), or `diverged` at the first differing
 *   point, the divergence lying after `lastAgreed` (undefined: from the start) and at or before
 *   `nonce`; `probes` lists the nonces asked, in order
 */
export async function findFirstDivergence(options: {
  points: readonly number[]
  claimAt: (nonce: number) => MaybePromise<string | undefined>
  localAt: (nonce: number) => MaybePromise<string>
}): Promise<Divergence> {
  const points = [...new Set(options.points)].sort((a, b) => a - b)
  const probes: number[] = []
  const unavailable: number[] = []
  let firstDiverged: { nonce: number; local: string; remote: string } | undefined
  // Invariant: the first diverging index is in [lo, hi] (hi = points.length: none diverges).
  let lo = 0
  let hi = points.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const nonce = points[mid]!
    probes.push(nonce)
    const remote = await options.claimAt(nonce)
    if (remote === undefined) {
      unavailable.push(nonce)
      points.splice(mid, 1)
      hi--
      continue
    }
    const local = await options.localAt(nonce)
    if (local === remote) lo = mid + 1
    else {
      firstDiverged = { nonce, local, remote }
      hi = mid
    }
  }
  // lo only ever moves past a point that was asked and agreed.
  const lastAgreed = lo > 0 ? points[lo - 1] : undefined
  if (lo === points.length) return { status: 'agreed', lastAgreed, probes, unavailable }
  return { status: 'diverged', ...firstDiverged!, lastAgreed, probes, unavailable }
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}
