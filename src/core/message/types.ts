/** A signed tag, exactly as it appears in an ANS-104 data item. */
export type Tag = { name: string; value: string }

/** The owner of a data item as the SU reports it: address and base64url public key. */
export type Owner = { address: string; key: string }

/** A message as the SU returns it inside a log edge (`node.message`). */
export type SuMessage = {
  id: string
  owner: Owner
  data: string | null
  tags: Tag[]
  signature: string
  anchor: string | null
  target: string | null
}

/** An assignment as the SU returns it inside a log edge (`node.assignment`). */
export type SuAssignment = {
  id: string
  owner: Owner
  tags: Tag[]
  signature: string
  anchor: string | null
  target: string | null
}

/** One edge of the SU log. `message` is null for an assignment of an existing transaction. */
export type SuNode = { message: SuMessage | null; assignment: SuAssignment }

/** The process item as `GET /processes/{id}` returns it. */
export type SuProcess = {
  process_id: string
  block: string
  owner: Owner
  tags: Tag[]
  timestamp: number
  data: string | null
  anchor: string | null
  signature: string | null
  target?: string | null
}

/**
 * The message a CU hands to the module, with its keys in the CU's order
 * (see `toAoMessage`). `undefined` fields are left out of the JSON, `null` ones kept.
 */
export type AoMessage = {
  Id?: string
  Signature?: string | null
  Data?: string | null
  Owner: string
  Target?: string
  Anchor?: string | null
  From: string
  'Forwarded-By'?: string
  Tags: Tag[]
  Epoch?: number
  Nonce?: number
  Timestamp: number
  'Block-Height': number
  'Hash-Chain'?: string
  Cron: boolean
  'Read-Only': boolean
}

/** The `env` (AoGlobal) a CU hands to the module with every message. */
export type AoEnv = {
  Process: { Id: string; Owner: string; Tags: Tag[] }
  Module: { Id: string; Owner: string; Tags: Tag[] }
}

/** A message, spawn or assignment in a module's outbox, as the module returned it. */
export type OutboxItem = Record<string, unknown>

/**
 * What one evaluated message produced, in the CU's shape (`/result`):
 * `Error` is set when the module reported or raised an error, and then the memory
 * of the process is the memory from before the message.
 */
export type EvalResult = {
  Output: unknown
  Messages: OutboxItem[]
  Spawns: OutboxItem[]
  Assignments: OutboxItem[]
  Patches?: OutboxItem[]
  Error?: unknown
  GasUsed?: number
}
