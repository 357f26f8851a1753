import { randomUUID } from 'node:crypto'
import type { HostProfile } from '../../src/core/host/types.ts'
import type { WorkerEvaluator } from '../../src/eval/createWorkerEvaluator.ts'
import { listenLoopback } from '../lib/http.ts'
import { createLocator } from '../lib/locate.ts'
import type { Wallet } from '../lib/wallets.ts'
import { withFaults, type CuFaults } from './cuFaults.ts'
import { cuRoutes } from './cuRoutes.ts'
import type { CuRuntime } from './cuRuntime.ts'
import { processStates } from './processState.ts'

export type { CuFaults } from './cuFaults.ts'
export type { CuLie } from './cuLies.ts'

/** How to start a CU: where it reads and uploads, how it evaluates, and its faults. */
export type CuOptions = {
  port?: number
  /** Signs checkpoints; its address is the CU's. */
  wallet: Wallet
  /** Where process, module and assigned messages are read, and checkpoints uploaded. */
  gatewayUrl: string
  /** A checkpoint after every message whose nonce is a multiple of this (default 100; 0 = never). */
  checkpointEvery?: number
  faults?: CuFaults
  /** Longest time one message may take (default 60 s); longer counts as an errored message. */
  messageTimeoutMs?: number
  /** `hot` keeps one live instance per process; `cu` copies memory in and out as ao-loader in a CU does. */
  mode?: 'hot' | 'cu'
  /**
   * The host its evaluator workers run under (program path, ao-loader version), as another CU
   * deployment would: its memory (state, checkpoints) differs, its results do not. Default:
   * Holoscope's pinned host.
   */
  host?: HostProfile | undefined
}

/** A running CU: its URL, its wallet's address, and how to stop it (after its uploads finish). */
export type Cu = { url: string; address: string; stop(): Promise<void> }

/**
 * Starts a Compute Unit speaking the AO CU HTTP API on 127.0.0.1. Like the real CU it
 * evaluates lazily, when a result, dry-run or state is asked for: it finds the process's SU
 * through the gateway, reads the log in nonce order, checks the hash chain, hydrates
 * assignments from the gateway, evaluates with one hot worker evaluator per process (errored
 * messages roll back), caches every result, and signs and uploads Checkpoint data items every
 * `checkpointEvery` nonces. Unlike the real CU it keeps no 60 s dry-run result cache and no
 * dry-run rate limit: every dry-run is evaluated.
 */
export async function startCu(options: CuOptions): Promise<Cu> {
  const { port = 0, wallet, gatewayUrl, checkpointEvery = 100, faults = {}, messageTimeoutMs = 60_000, mode = 'hot', host } = options
  const cu: CuRuntime = {
    wallet,
    gatewayUrl,
    unitId: randomUUID(),
    checkpointEvery,
    faults,
    lies: new Set(faults.lies ?? []),
    lieFrom: faults.lieFrom ?? 0,
    evaluatorOptions: { mode, messageTimeoutMs, hostProfile: host },
    processes: processStates({ gatewayUrl, locator: createLocator(gatewayUrl), wasm: new Map<string, Promise<Uint8Array>>() }),
    live: new Set<WorkerEvaluator>(),
    uploads: new Set<Promise<void>>(),
    stopping: false,
  }
  const listening = await listenLoopback(port, withFaults(faults, cuRoutes(cu)), 'cu')
  return {
    url: listening.url,
    address: wallet.address,
    async stop() {
      cu.stopping = true
      while (cu.uploads.size) await Promise.all([...cu.uploads])
      for (const evaluator of [...cu.live]) evaluator.terminate()
      await listening.close()
    },
  }
}
