import { toHex } from '../core/encoding/base64url.ts'
import { describeError } from '../core/errors/describeError.ts'
import type { EvalResult } from '../core/message/types.ts'
import { compareMemory } from '../core/verify/compareMemory.ts'
import { diffResults } from '../core/verify/diffResults.ts'
import type { ClaimField, ClaimKind } from '../core/verify/verdict.ts'
import type { MemoryDigest } from '../core/evaluator/memoryDigest.ts'
import type { CheckpointClaim } from '../core/checkpoint/checkpointClaim.ts'
import { checkpointMemorySha } from '../net/checkpointMemorySha.ts'
import { discoverCheckpoints } from '../net/discoverCheckpoints.ts'
import { verifyCheckpointItem } from '../net/verifyCheckpointItem.ts'
import { dryRun, fetchCuAddress, fetchResult, type DryRunMessage } from '../net/cu.ts'
import { fetchCuState } from '../net/cuState.ts'
import type { RetryingRequestOptions, RetryPolicy } from '../net/withRetries.ts'

/** What one CU attests about a process, found before replaying: its wallet and its checkpoints. */
export type CuClaims = { cu: string; address: string | undefined; checkpoints: CheckpointClaim[]; notes: string[] }

/**
 * A claim that did not hold: its kind, where, the field, both values, and notes for a person;
 * for a memory claim, the host profiles (ids) it was replayed under.
 */
export type ClaimDivergence = { claim: ClaimKind; nonce: number; field: ClaimField; local: unknown; remote: unknown; claimId?: string; notes: string[]; hostProfiles?: string[] }

/** A memory to check a claim against: its digest (optionally over its first `length` bytes) and its bytes. */
export type MemoryView = { digest(length?: number): Promise<MemoryDigest>; bytes(): Promise<Uint8Array> }

/**
 * The outcome of checking one claim: it held, it did not, or it could not be checked (a note).
 * A memory claim that did not hold comes with `recheck`: the same claim checked against another
 * memory (the replay under another host profile), without asking the CU or the gateway again;
 * undefined when it held there. None when no host could make it hold (a CU whose checkpoint body
 * does not hash to the SHA-256 it signed).
 */
export type ClaimOutcome =
  | { held: true; notes: string[] }
  | { held: false; divergence: ClaimDivergence; recheck?: (memory: MemoryView) => Promise<ClaimDivergence | undefined> }
  | { held: undefined; note: string }

/**
 * Finds, for every CU, its wallet address (`GET /`) and the checkpoints it signed for this
 * process, via the gateway's GraphQL. Never throws but when aborted: what could not be found
 * becomes a note. `retry` changes the CU retry policy (`withRetries`).
 */
export async function gatherClaims(gateway: string, processId: string, cus: readonly string[], signal?: AbortSignal, retry?: Partial<RetryPolicy>): Promise<Map<string, CuClaims>> {
  const claims = new Map<string, CuClaims>()
  await Promise.all(
    cus.map(async (cu) => {
      const entry: CuClaims = { cu, address: undefined, checkpoints: [], notes: [] }
      claims.set(cu, entry)
      try {
        entry.address = await fetchCuAddress(cu, { signal, retry })
      } catch (error) {
        entry.notes.push(`Its wallet address is unknown (${describeError(error).message}), so its checkpoints were not looked up.`)
      }
    }),
  )
  const owners = [...claims.values()].flatMap((c) => (c.address ? [c.address] : []))
  if (!owners.length) return claims
  try {
    const found = await discoverCheckpoints(gateway, processId, { owners, signal })
    for (const entry of claims.values()) {
      entry.checkpoints = found.claims.filter((c) => c.owner === entry.address)
      if (found.truncated) entry.notes.push('The gateway listed more checkpoints than were read; the oldest were not compared.')
    }
  } catch (error) {
    signal?.throwIfAborted()
    for (const entry of claims.values()) entry.notes.push(`Its checkpoints could not be listed: ${describeError(error).message}`)
  }
  return claims
}

/**
 * Checks a signed checkpoint against the local memory at its nonce. The claim counts only when
 * its data item verifies as signed by the CU's wallet. A SHA-256 that differs is looked into:
 * the body's own hash (a CU can attest a hash that is not that of the memory it uploaded) and,
 * when the memory lengths differ, the local memory at the checkpoint's length (`digestAt`).
 */
export async function checkCheckpoint(
  gateway: string,
  claim: CheckpointClaim,
  local: MemoryDigest,
  digestAt: (length: number) => Promise<MemoryDigest>,
  signal?: AbortSignal,
): Promise<ClaimOutcome> {
  let signed
  try {
    signed = await verifyCheckpointItem(gateway, claim, { signal })
  } catch (error) {
    signal?.throwIfAborted()
    return { held: undefined, note: `Checkpoint ${claim.id} at nonce ${claim.nonce} could not be checked: ${describeError(error).message}` }
  }
  if (!signed.valid) return { held: undefined, note: `Checkpoint ${claim.id} at nonce ${claim.nonce} is not validly signed by ${claim.owner} (${signed.problems.join('; ')}); not counted as the CU's claim.` }
  if (claim.sha256 === local.sha256) return { held: true, notes: [] }
  let body
  try {
    body = await checkpointMemorySha(gateway, claim, { signal, body: signed.body })
  } catch (error) {
    signal?.throwIfAborted()
    return { held: undefined, note: `Checkpoint ${claim.id} at nonce ${claim.nonce}: its body cannot be read (${describeError(error).message}).` }
  }
  const notes = body.matches ? [] : [`The CU's own checkpoint body hashes to ${body.sha256}, not to the SHA-256 it signed.`]
  // A heap's length depends on its growth history: compare at the checkpoint's length too.
  const holdsAtLength = async (memory: MemoryDigest, at: (length: number) => Promise<MemoryDigest>) => {
    if (!body.matches || body.length === memory.length) return false
    const atLength = await at(body.length)
    return atLength.sha256 === claim.sha256 && atLength.zeroTail
  }
  if (await holdsAtLength(local, digestAt)) return { held: true, notes: [`Checkpoint ${claim.id} holds ${body.length} bytes of memory, the local memory ${local.length}; equal at its length, the rest zeros.`] }
  const divergence = (memory: MemoryDigest): ClaimDivergence => ({ claim: 'checkpoint', nonce: claim.nonce, field: 'SHA-256', local: memory.sha256, remote: claim.sha256, claimId: claim.id, notes })
  if (!body.matches) return { held: false, divergence: divergence(local) }
  const recheck = async (memory: MemoryView) => {
    const digest = await memory.digest()
    return digest.sha256 === claim.sha256 || (await holdsAtLength(digest, (length) => memory.digest(length))) ? undefined : divergence(digest)
  }
  return { held: false, divergence: divergence(local), recheck }
}

/**
 * Compares a CU's memory of the process (`/state?to=<timestamp>`) with the local memory after
 * the target message. A CU still evaluating (202) is asked again under the retry policy.
 */
export async function checkState(cu: string, processId: string, at: { nonce: number; timestamp: number }, local: Uint8Array, signal?: AbortSignal, retry?: Partial<RetryPolicy>): Promise<ClaimOutcome> {
  try {
    const state = await fetchCuState(cu, processId, { to: at.timestamp, signal, retry })
    if (state.ordinate !== undefined && state.ordinate !== String(at.nonce)) {
      return { held: undefined, note: `Its state at timestamp ${at.timestamp} is at nonce ${state.ordinate}, not ${at.nonce} (messages share that millisecond); not compared.` }
    }
    const divergence = stateDivergence(at.nonce, local, state.memory)
    if (!divergence) return { held: true, notes: [] }
    return { held: false, divergence, recheck: async (memory) => stateDivergence(at.nonce, await memory.bytes(), state.memory) }
  } catch (error) {
    signal?.throwIfAborted()
    return { held: undefined, note: `Its state could not be compared: ${describeError(error).message}` }
  }
}

/** A CU's result for one message, or why it could not be had. */
export type CuResult = { result: EvalResult } | { unchecked: string }

/**
 * Asks a CU for its result of one message (`GET /result/{id}`) under the retry policy of
 * `request`. Never throws but when aborted: a result that could not be had says why.
 */
export async function fetchCuResult(cu: string, processId: string, messageId: string, request: RetryingRequestOptions): Promise<CuResult> {
  try {
    return { result: await fetchResult(cu, processId, messageId, request) }
  } catch (error) {
    request.signal?.throwIfAborted()
    return { unchecked: describeError(error).message }
  }
}

/**
 * Compares a CU's result of the message at `nonce` with the local one. A result the CU could
 * not give is a note (the CU's checking ends there: later results cannot be attributed).
 */
export function checkResult(nonce: number, local: EvalResult, remote: CuResult): ClaimOutcome {
  if ('unchecked' in remote) return { held: undefined, note: remote.unchecked }
  const difference = diffResults(local, remote.result)
  return difference ? { held: false, divergence: { claim: 'result', nonce, ...difference, notes: [] } } : { held: true, notes: [] }
}

/** Compares a CU's dry-run on its state after the target message with the same dry-run run locally. */
export async function checkDryRun(cu: string, processId: string, at: { nonce: number; messageId: string }, message: DryRunMessage, local: EvalResult, signal?: AbortSignal, retry?: Partial<RetryPolicy>): Promise<ClaimOutcome> {
  let remote: EvalResult
  try {
    remote = await dryRun(cu, processId, message, { to: at.messageId, signal, retry })
  } catch (error) {
    signal?.throwIfAborted()
    return { held: undefined, note: `Its dry-run could not be compared: ${describeError(error).message}` }
  }
  const difference = diffResults(local, remote)
  if (!difference) return { held: true, notes: [] }
  return { held: false, divergence: { claim: 'dry-run', nonce: at.nonce, ...difference, notes: [`Dry-run: ${message.Tags.map((t) => `${t.name}=${t.value}`).join(', ')}`] } }
}

/** Where two memories first differ, both sides shown there; undefined when they are equal. */
function stateDivergence(nonce: number, local: Uint8Array, remote: Uint8Array): ClaimDivergence | undefined {
  const comparison = compareMemory(local, remote)
  if (comparison.equal) return undefined
  const window = (bytes: Uint8Array) => `${bytes.byteLength} bytes; at offset ${comparison.offset}: ${hex(bytes.subarray(comparison.offset, comparison.offset + 16))}`
  return { claim: 'state', nonce, field: 'memory', local: window(local), remote: window(remote), notes: [] }
}

/** Bytes as hex pairs separated by spaces (for reading a window of memory). */
function hex(bytes: Uint8Array): string {
  return toHex(bytes).replace(/(..)(?=.)/g, '$1 ')
}
