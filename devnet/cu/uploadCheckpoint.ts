import type { CuRuntime } from './cuRuntime.ts'
import { wrongSha256 } from './cuLies.ts'
import { errorText } from './loadProcessContext.ts'
import { keepSnapshot, type Evaluated, type ProcessState } from './processState.ts'
import { memorySha256, signCheckpoint, type CheckpointPoint } from './signCheckpoint.ts'

/**
 * Keeps the hot memory after `entry` and uploads it to the gateway as a signed Checkpoint, in
 * the background (tracked in `cu.uploads`; a failed upload is logged, not thrown). Nothing
 * happens when the CU is stopping, the nonce is already kept, or there is no hot evaluator.
 * With the 'checkpoint-sha' lie from `lieFrom` on, the checkpoint claims a wrong SHA-256.
 */
export async function uploadCheckpoint(cu: CuRuntime, state: ProcessState, entry: Evaluated): Promise<void> {
  if (cu.stopping || state.snapshots.has(entry.nonce) || !state.hot) return
  const snapshot = await state.hot.snapshot()
  keepSnapshot(state, entry.nonce, snapshot, cu.checkpointEvery)
  const point: CheckpointPoint = {
    moduleId: state.module.id,
    processId: state.id,
    nonce: entry.nonce,
    timestamp: entry.timestamp,
    blockHeight: entry.blockHeight,
    unitId: cu.unitId,
    assignmentId: entry.assignmentId,
    hashChain: entry.hashChain,
  }
  const lie = cu.lies.has('checkpoint-sha') && entry.nonce >= cu.lieFrom
  const upload = postCheckpoint(cu, point, snapshot.memory, lie).catch((error: unknown) => {
    console.error(`[cu] checkpoint of process ${state.id} at nonce ${entry.nonce} not uploaded: ${error instanceof Error ? error.message : String(error)}`)
  })
  cu.uploads.add(upload)
  void upload.finally(() => cu.uploads.delete(upload))
}

async function postCheckpoint(cu: CuRuntime, point: CheckpointPoint, memory: Uint8Array, lie: boolean): Promise<void> {
  const item = await signCheckpoint(cu.wallet, point, memory, lie ? wrongSha256(memorySha256(memory)) : undefined)
  const res = await fetch(`${cu.gatewayUrl}/tx/arweave`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: item.raw })
  if (!res.ok) throw new Error(`the gateway answered ${res.status}: ${errorText(await res.text())}`)
}
