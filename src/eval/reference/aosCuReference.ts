import { readFile } from 'node:fs/promises'
import { sha256 } from '@noble/hashes/sha2.js'
import { generateAosTokenLog } from '../../../processes/aosTokenLog.ts'
import type { Fixture } from '../../../processes/loadFixture.ts'
import type { LocalLog } from '../../../processes/tokenLog.ts'
import { toHex } from '../../core/encoding/base64url.ts'
import type { AoMessage, EvalResult } from '../../core/message/types.ts'
import { canonicalJson } from '../../core/verify/canonicalJson.ts'
import type { MemoryDigest } from '../../core/evaluator/memoryDigest.ts'
import { CuReferenceError } from '../errors.ts'

/**
 * What ao-loader called the CU's way (`mode: 'cu'`, a Node worker) computed over an aos fixture's
 * reference log, recorded by `recordAosCuReference.ts`: the CU way copies an aos memory (~110 MB)
 * in and out on every message, about 1 s per message here, too slow to run in every test.
 */
export type AosCuReference = {
  fixture: string
  /** SHA-256 of the module bytes it was recorded with. */
  moduleSha256: string
  /** The log it was recorded over: its options and the SHA-256 of its canonical JSON. */
  log: { count: number; seed: number; sha256: string }
  /** Per message, in log order: the SHA-256 of the result's canonical JSON (`resultSha256`). */
  results: string[]
  /** Nonces whose result carries Error (rolled back). */
  errors: number[]
  /** Memory after chosen messages (`chosenNonces`), by nonce. */
  memory: Record<string, MemoryDigest>
  /** The result of a `Balances` dry-run (`balancesDryRun`) on the state after the last message. */
  balances: EvalResult
}

/** A fixture's reference log options: 300 messages after the process message (aos-sqlite: 100), seed 1. */
export function aosReferenceLogOptions(name: string): { count: number; seed: number } {
  return { count: name === 'aos-sqlite' ? 100 : 300, seed: 1 }
}

/** The aos fixtures with a recorded CU-way reference. */
export const aosReferenceFixtures = ['aos-2.0.6', 'aos-2.0.4-32', 'aos-sqlite'] as const

/** The command that records the references again (when the log generator or a fixture changed). */
export const recordCommand = 'npx tsx src/eval/reference/recordAosCuReference.ts'

/** The aos token log a fixture's reference is recorded over (`generateAosTokenLog`). */
export function aosReferenceLog(fixture: Pick<Fixture, 'name' | 'tags'>): LocalLog {
  return generateAosTokenLog({ moduleTags: fixture.tags, ...aosReferenceLogOptions(fixture.name) })
}

/**
 * Whether the memory after a message is recorded: after the first two failing messages (their
 * rollback), every 50th message and the last. A digest of an aos memory costs about a second.
 */
export function isChosenNonce(nonce: number, isError: boolean, errorsBefore: number, lastNonce: number): boolean {
  return nonce % 50 === 0 || nonce === lastNonce || (isError && errorsBefore < 2)
}

/** The SHA-256 (hex) of a result's canonical JSON: how results are recorded and compared. */
export function resultSha256(result: EvalResult): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson(result))))
}

/** The SHA-256 (hex) of a log's canonical JSON. */
export function logSha256(log: LocalLog): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson(log))))
}

/** A read-only `Balances` message on the state after the log's last message, as a CU completes a dry-run. */
export function balancesDryRun(log: LocalLog): AoMessage {
  const last = log.messages[log.messages.length - 1]!
  return {
    Id: 'dry-run', Owner: log.process.Owner, Target: log.process.Id, From: log.process.Owner,
    Tags: [{ name: 'Action', value: 'Balances' }], Timestamp: last.Timestamp, 'Block-Height': last['Block-Height'], Cron: false, 'Read-Only': true,
  }
}

/** Where a fixture's reference is kept. */
export function referencePath(name: string): URL {
  return new URL(`./${name}.cu.json`, import.meta.url)
}

/**
 * Reads a fixture's recorded reference and checks that it was recorded over these module bytes
 * and this log.
 *
 * @throws CuReferenceError naming what is missing or changed and the command that records it again
 */
export async function loadAosCuReference(fixture: Pick<Fixture, 'name' | 'sha256'>, log: LocalLog): Promise<AosCuReference> {
  let reference: AosCuReference
  try {
    reference = JSON.parse(await readFile(referencePath(fixture.name), 'utf8')) as AosCuReference
  } catch (error) {
    throw new CuReferenceError(`no CU-way reference for ${fixture.name} (${(error as Error).message}); record it with \`${recordCommand} ${fixture.name}\``, { cause: error })
  }
  if (reference.moduleSha256 !== fixture.sha256) {
    throw new CuReferenceError(`the CU-way reference of ${fixture.name} was recorded with other module bytes (${reference.moduleSha256}, now ${fixture.sha256}); record it again with \`${recordCommand} ${fixture.name}\``)
  }
  if (reference.log.sha256 !== logSha256(log)) {
    throw new CuReferenceError(`the aos token log changed since the CU-way reference of ${fixture.name} was recorded (processes/aosTokenLog.ts or the module tags); record it again with \`${recordCommand} ${fixture.name}\``)
  }
  return reference
}

/**
 * Compares a memory with a recorded digest at the recorded length: a heap's byte length depends
 * on its growth history, so a longer memory must be zeros beyond it.
 *
 * @param digest digests the memory (over its first `length` bytes when given)
 * @returns what differs, or undefined when the memories are the same
 */
export async function memoryDifference(digest: (length?: number) => Promise<MemoryDigest>, expected: MemoryDigest): Promise<string | undefined> {
  const local = await digest()
  if (local.length === expected.length) return local.sha256 === expected.sha256 ? undefined : `SHA-256 ${local.sha256}, the CU way's ${expected.sha256}`
  if (local.length < expected.length) return `memory is ${local.length} bytes, shorter than the CU way's ${expected.length}`
  const head = await digest(expected.length)
  if (!head.zeroTail) return `memory is ${local.length} bytes and not zero beyond the CU way's ${expected.length}`
  return head.sha256 === expected.sha256 ? undefined : `SHA-256 over ${expected.length} bytes ${head.sha256}, the CU way's ${expected.sha256}`
}
