import { BaseError } from '../core/errors/BaseError.ts'
import type { ModuleOptions } from '../core/module/types.ts'
import { cumulativeGenesis } from '../core/verify/cumulativeHash.ts'
import type { CheckpointClaim } from '../core/checkpoint/checkpointClaim.ts'
import { checkpointMemorySha } from '../net/checkpointMemorySha.ts'
import { verifyCheckpointItem } from '../net/verifyCheckpointItem.ts'
import type { Resume } from './resumePoint.ts'

/** A CU checkpoint that cannot seed a replay: unsigned, damaged, or of a format it cannot restore. */
export class CheckpointSeedError extends BaseError {
  override name = 'CheckpointSeedError'
}

/**
 * The state to start from when the user trusts a CU's checkpoint: its signature is checked
 * and its body must hash to the SHA-256 it claims; the memory is then taken as given (every
 * verdict says so). The history before it is not verified.
 *
 * @throws CheckpointSeedError; network errors from the gateway
 */
export async function seedFromCuCheckpoint(
  gateway: string,
  seed: { cu: string; claim: CheckpointClaim },
  options: ModuleOptions,
  signal?: AbortSignal,
): Promise<Resume> {
  const { claim, cu } = seed
  if (!options.format.includes('emscripten')) {
    throw new CheckpointSeedError(`A ${options.format} process cannot start from a CU checkpoint: its state lives partly outside memory (wasm globals), which CU checkpoints do not hold. Verify from nonce 0 instead.`)
  }
  const signed = await verifyCheckpointItem(gateway, claim, { signal })
  if (!signed.valid) throw new CheckpointSeedError(`Checkpoint ${claim.id} is not validly signed (${signed.problems.join('; ')}), so it cannot be trusted as a starting point.`)
  const body = await checkpointMemorySha(gateway, claim, { signal, body: signed.body })
  if (!body.matches) throw new CheckpointSeedError(`Checkpoint ${claim.id}'s memory hashes to ${body.sha256}, not to the SHA-256 its CU signed (${claim.sha256}): it cannot be a starting point.`)
  return {
    start: { source: 'cu-checkpoint', nonce: claim.nonce, cu, checkpointId: claim.id },
    snapshot: { format: options.format, memory: body.memory },
    previous: claim.assignmentId && claim.hashChain ? { assignmentId: claim.assignmentId, hashChain: claim.hashChain } : undefined,
    cumulative: cumulativeGenesis,
    hashChain: claim.hashChain,
    timestamp: claim.timestamp,
    blockHeight: claim.blockHeight,
    messageId: undefined,
    prior: new Map(),
  }
}
