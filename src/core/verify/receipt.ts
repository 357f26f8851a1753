import { BaseError } from '../errors/BaseError.ts'
import { isArweaveId } from '../message/processId.ts'
import { moduleFormats, type ModuleOptions } from '../module/types.ts'
import { canonicalJson } from './canonicalJson.ts'
import type { Verdict } from './verdict.ts'

/** The receipt format this Holoscope writes and reads. */
export const receiptVersion = 1

/** What one CU was found to do, as a receipt keeps it (values of a divergence left out). */
export type ReceiptCu = {
  cu: string
  address?: string
  status: Verdict['status']
  nonce?: number
  messageId?: string
  field?: string
  reason?: string
}

/**
 * What a verification established, as JSON anyone can keep and check later by replaying:
 * the process and module, the nonces replayed, the SU's Hash-Chain at the last one, the
 * memory after it (SHA-256 of its first `length` bytes), the cumulative hash of every result
 * (`cumulativeHash.ts`), each CU's verdict, and the engine that replayed it.
 */
export type VerificationReceipt = {
  version: typeof receiptVersion
  process: string
  module: string
  nonces: { from: number; to: number }
  /** The Hash-Chain of the assignment at `nonces.to`; null for logs without one. */
  hashChain: string | null
  memory: { sha256: string; length: number }
  cumulativeHash: string
  cus: ReceiptCu[]
  engine: { version: string; moduleOptions: ModuleOptions }
  /** ISO 8601. */
  createdAt: string
}

/** A receipt that cannot be read or built: names the field and what it must be. */
export class ReceiptError extends BaseError {
  override name = 'ReceiptError'
}

/** What `buildReceipt` takes: the receipt's facts, CU verdicts as the verification gave them. */
export type ReceiptInput = Omit<VerificationReceipt, 'version' | 'cus' | 'createdAt'> & {
  verdicts: readonly (Verdict & { address?: string | undefined })[]
  createdAt: Date | string
}

/**
 * Builds a receipt from a verification's facts, keeping of each verdict its status, nonce,
 * message, field and reason (not the differing values).
 *
 * @throws ReceiptError when a fact is not of its form (as `parseReceipt` would refuse it)
 */
export function buildReceipt(input: ReceiptInput): VerificationReceipt {
  const cus = input.verdicts.map((verdict): ReceiptCu => {
    const cu: ReceiptCu = { cu: verdict.cu, status: verdict.status }
    if (verdict.address !== undefined) cu.address = verdict.address
    if (verdict.nonce !== undefined) cu.nonce = verdict.nonce
    if (verdict.status === 'diverged') Object.assign(cu, { messageId: verdict.messageId, field: verdict.field })
    if (verdict.status === 'unchecked') cu.reason = verdict.reason
    return cu
  })
  const { verdicts: _verdicts, ...facts } = input
  const createdAt = input.createdAt instanceof Date ? input.createdAt.toISOString() : input.createdAt
  return checked({ ...facts, version: receiptVersion, cus, createdAt }, 'The receipt could not be built')
}

/** Writes a receipt as JSON text (fields in a fixed order, two-space indent). */
export function serializeReceipt(receipt: VerificationReceipt): string {
  return `${JSON.stringify(checked(receipt, 'The receipt could not be written'), null, 2)}\n`
}

/**
 * Reads a receipt from JSON text.
 *
 * @throws ReceiptError naming the first field that is missing or not of its form, or saying
 *   the text is not JSON, or a version this Holoscope does not read
 */
export function parseReceipt(text: string): VerificationReceipt {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ReceiptError(`This is not a Holoscope receipt: it is not JSON (${(error as Error).message}).`)
  }
  return checked(json, 'This is not a valid Holoscope receipt')
}

/** The facts of a receipt, as found locally (by replaying); each one given is compared. */
export type LocalFacts = {
  process?: string
  module?: string
  nonces?: { from: number; to: number }
  hashChain?: string | null
  /**
   * The local memory's SHA-256 over exactly the receipt's `memory.length` bytes (zero-extended
   * when the local memory is shorter: a heap's length depends on its growth history), and
   * whether the local bytes past that length are all zero (`memoryDigest` gives both).
   */
  memory?: { sha256: string; zeroTail: boolean }
  cumulativeHash?: string
  moduleOptions?: ModuleOptions
}

/** A field of a receipt that `checkReceipt` compares. */
export type ReceiptField = 'process' | 'module' | 'nonces' | 'hashChain' | 'memory' | 'cumulativeHash' | 'moduleOptions'

/** How one field compared: `unchecked` when no local value was given. */
export type ReceiptFieldCheck = { field: ReceiptField; status: 'agrees' | 'disagrees' | 'unchecked'; receipt: unknown; local: unknown }

/** The outcome of `checkReceipt`: `agrees` when every checked field agrees and one at least was checked. */
export type ReceiptCheck = { agrees: boolean; fields: ReceiptFieldCheck[]; disagreeing: ReceiptField[] }

/**
 * Compares a receipt with what was found locally, field by field. The memory agrees when
 * the SHA-256 over the receipt's length is the same and the local bytes past it are zeros.
 * `receipt` and `local` in each field check are the two values compared.
 * CU verdicts, engine version and creation time are what the receipt reports, not compared.
 */
export function checkReceipt(receipt: VerificationReceipt, local: LocalFacts): ReceiptCheck {
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b)
  const memoryAgrees = (m: NonNullable<LocalFacts['memory']>) => m.sha256 === receipt.memory.sha256 && m.zeroTail
  const entries: [ReceiptField, unknown, unknown, ((l: never) => boolean)?][] = [
    ['process', receipt.process, local.process],
    ['module', receipt.module, local.module],
    ['nonces', receipt.nonces, local.nonces],
    ['hashChain', receipt.hashChain, local.hashChain],
    ['memory', receipt.memory, local.memory, memoryAgrees as (l: never) => boolean],
    ['cumulativeHash', receipt.cumulativeHash, local.cumulativeHash],
    ['moduleOptions', receipt.engine.moduleOptions, local.moduleOptions],
  ]
  const fields = entries.map(([field, theirs, ours, agrees]): ReceiptFieldCheck => {
    if (ours === undefined) return { field, status: 'unchecked', receipt: theirs, local: ours }
    const ok = agrees ? agrees(ours as never) : same(theirs, ours)
    return { field, status: ok ? 'agrees' : 'disagrees', receipt: theirs, local: ours }
  })
  const disagreeing = fields.filter((f) => f.status === 'disagrees').map((f) => f.field)
  return { agrees: disagreeing.length === 0 && fields.some((f) => f.status === 'agrees'), fields, disagreeing }
}

const hexPattern = /^[0-9a-f]{64}$/
const statuses: readonly string[] = ['verified', 'diverged', 'unchecked']

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

/** Checks every field and rebuilds the receipt in its fixed field order. */
function checked(json: unknown, lead: string): VerificationReceipt {
  const fail = (path: string, must: string, value: unknown): never => {
    const shown = value === undefined ? 'it is missing' : `it is ${JSON.stringify(value)?.slice(0, 80)}`
    throw new ReceiptError(`${lead}: ${path} must be ${must}, and ${shown}.`)
  }
  if (!isObject(json)) return fail('the receipt', 'a JSON object', json)
  const known = ['version', 'process', 'module', 'nonces', 'hashChain', 'memory', 'cumulativeHash', 'cus', 'engine', 'createdAt']
  if (json['version'] !== receiptVersion) {
    if (typeof json['version'] === 'number') throw new ReceiptError(`${lead}: it is receipt version ${json['version']}, and this Holoscope reads version ${receiptVersion}.`)
    fail('version', `${receiptVersion}`, json['version'])
  }
  const unknown = Object.keys(json).find((key) => !known.includes(key))
  if (unknown !== undefined) throw new ReceiptError(`${lead}: it has a field "${unknown}" that receipts do not have.`)
  const id = (path: string, value: unknown) => (typeof value === 'string' && isArweaveId(value) ? value : fail(path, 'a 43-character base64url id', value))
  const hex = (path: string, value: unknown) => (typeof value === 'string' && hexPattern.test(value) ? value : fail(path, '64 lowercase hex digits', value))
  const count = (path: string, value: unknown) => (isCount(value) ? value : fail(path, 'a whole number ≥ 0', value))
  const text = (path: string, value: unknown) => (typeof value === 'string' && value !== '' ? value : fail(path, 'a non-empty string', value))

  const processId = id('process', json['process'])
  const moduleId = id('module', json['module'])
  const nonces = isObject(json['nonces']) ? json['nonces'] : fail('nonces', 'an object { from, to }', json['nonces'])
  const from = count('nonces.from', nonces['from'])
  const to = count('nonces.to', nonces['to'])
  if (from > to) fail('nonces.to', `at least nonces.from (${from})`, to)
  const hashChain = json['hashChain'] === null ? null : id('hashChain', json['hashChain'])
  const memory = isObject(json['memory']) ? json['memory'] : fail('memory', 'an object { sha256, length }', json['memory'])
  const cus = Array.isArray(json['cus']) ? json['cus'] : fail('cus', 'a list', json['cus'])
  const engine = isObject(json['engine']) ? json['engine'] : fail('engine', 'an object { version, moduleOptions }', json['engine'])
  const options = isObject(engine['moduleOptions']) ? engine['moduleOptions'] : fail('engine.moduleOptions', 'an object', engine['moduleOptions'])
  const extensions = options['extensions']
  if (!isObject(extensions) || !Object.values(extensions).every((e) => isObject(e) && Object.values(e).every((v) => typeof v === 'string'))) {
    fail('engine.moduleOptions.extensions', 'an object of objects of strings', extensions)
  }
  const createdAt = text('createdAt', json['createdAt'])
  if (!/^\d{4}-\d\d-\d\dT/.test(createdAt) || Number.isNaN(Date.parse(createdAt))) fail('createdAt', 'an ISO 8601 date and time', createdAt)

  return {
    version: receiptVersion,
    process: processId,
    module: moduleId,
    nonces: { from, to },
    hashChain,
    memory: { sha256: hex('memory.sha256', memory['sha256']), length: count('memory.length', memory['length']) },
    cumulativeHash: hex('cumulativeHash', json['cumulativeHash']),
    cus: cus.map((entry: unknown, i) => checkedCu(entry, `cus[${i}]`, fail, text, count)),
    engine: {
      version: text('engine.version', engine['version']),
      moduleOptions: {
        format: (moduleFormats as readonly unknown[]).includes(options['format'])
          ? (options['format'] as ModuleOptions['format'])
          : fail('engine.moduleOptions.format', `one of ${moduleFormats.join(', ')}`, options['format']),
        memoryLimit: isCount(options['memoryLimit']) && options['memoryLimit'] > 0 ? options['memoryLimit'] : fail('engine.moduleOptions.memoryLimit', 'a whole number of bytes > 0', options['memoryLimit']),
        computeLimit: typeof options['computeLimit'] === 'number' && options['computeLimit'] > 0 ? options['computeLimit'] : fail('engine.moduleOptions.computeLimit', 'a number > 0', options['computeLimit']),
        extensions: structuredClone(extensions) as ModuleOptions['extensions'],
      },
    },
    createdAt,
  }
}

function checkedCu(
  entry: unknown,
  path: string,
  fail: (path: string, must: string, value: unknown) => never,
  text: (path: string, value: unknown) => string,
  count: (path: string, value: unknown) => number,
): ReceiptCu {
  if (!isObject(entry)) return fail(path, 'an object { cu, status, … }', entry)
  const status = statuses.includes(entry['status'] as string) ? (entry['status'] as ReceiptCu['status']) : fail(`${path}.status`, 'verified, diverged or unchecked', entry['status'])
  const cu: ReceiptCu = { cu: text(`${path}.cu`, entry['cu']), status }
  if (entry['address'] !== undefined) cu.address = text(`${path}.address`, entry['address'])
  if (entry['nonce'] !== undefined) cu.nonce = count(`${path}.nonce`, entry['nonce'])
  for (const key of ['messageId', 'field', 'reason'] as const) {
    if (entry[key] !== undefined) cu[key] = text(`${path}.${key}`, entry[key])
  }
  return cu
}
