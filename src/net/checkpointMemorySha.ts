import type { CheckpointClaim } from '../core/checkpoint/checkpointClaim.ts'
import { gunzip, isGzip } from '../core/encoding/gzip.ts'
import { sha256Hex } from '../core/encoding/sha256Hex.ts'
import { CheckpointBodyError } from './checkpointBodyError.ts'
import { fetchData } from './gateway.ts'

/** The memory a checkpoint's body holds, and whether its SHA-256 is the one claimed. */
export type CheckpointMemory = {
  id: string
  nonce: number
  /** The SHA-256 the checkpoint's tag claims. */
  claimed: string
  /** The SHA-256 of the memory in its body (hex). */
  sha256: string
  matches: boolean
  length: number
  compressedLength: number
  /** The raw memory, for comparing with a local replay (`compareMemory`). */
  memory: Uint8Array
}

/**
 * Reads the memory in a checkpoint's body (`/raw/{id}`, gunzipped with DecompressionStream
 * when `Content-Encoding: gzip`) and hashes it: a CU can attest a SHA-256 that is not even the
 * hash of the memory it uploaded. A body tagged gzip that is not gzip data is taken as already
 * decoded on the way (an HTTP layer that honoured the tag).
 *
 * @param options.body the body already downloaded (`verifyCheckpointItem` returns it)
 * @returns the hash and `matches: false` for a wrong claim (a result, not an error)
 * @throws CheckpointBodyError for a gzip body that does not decompress; NotFoundError,
 *   NetworkError, HttpError
 */
export async function checkpointMemorySha(
  gateway: string,
  claim: CheckpointClaim,
  options: { signal?: AbortSignal | undefined; body?: Uint8Array | undefined } = {},
): Promise<CheckpointMemory> {
  const body = options.body ?? (await fetchData(gateway, claim.id, options.signal))
  let memory = body
  if (claim.encoding === 'gzip' && isGzip(body)) {
    try {
      memory = await gunzip(body)
    } catch (error) {
      options.signal?.throwIfAborted()
      throw new CheckpointBodyError(gateway, claim, `its gzip data is damaged (${error instanceof Error ? error.message : String(error)})`, { cause: error })
    }
  }
  const digest = await sha256Hex(memory)
  return { id: claim.id, nonce: claim.nonce, claimed: claim.sha256, sha256: digest, matches: digest === claim.sha256, length: memory.length, compressedLength: body.length, memory }
}
