import type { Tag } from '../message/types.ts'

/**
 * A CU's checkpoint as the gateway lists it: its signed claim "after message `nonce` (at
 * `timestamp`), process `processId` had memory whose SHA-256 is `sha256`". Nothing in it is
 * verified yet (see `verifyCheckpointItem`, `checkpointMemorySha` in src/net).
 */
export type CheckpointClaim = {
  id: string
  /** The signer's address: base64url(sha256(owner key)) when the gateway gives the key. */
  owner: string
  /** The signer's public key (base64url), when the gateway gives it. */
  ownerKey: string | undefined
  processId: string
  moduleId: string
  nonce: number
  ordinate: string
  timestamp: number
  blockHeight: number
  /** Lowercase hex SHA-256 of the raw (uncompressed) memory, as claimed. */
  sha256: string
  /** `gzip`, or undefined for an uncompressed body. */
  encoding: 'gzip' | undefined
  hashChain: string | undefined
  assignmentId: string | undefined
  epoch: number | undefined
  cronInterval: string | undefined
  unitIdentifier: string | undefined
  tags: Tag[]
  /** As the gateway gives them (base64url), for checking the signature without the raw item. */
  signature: string | undefined
  anchor: string | undefined
  recipient: string | undefined
  dataSize: number | undefined
  /** The block the gateway has it in; undefined while pending. */
  block: { height: number; timestamp: number } | undefined
}

/** A checkpoint the gateway lists that is not a usable claim, and why. */
export type SkippedCheckpoint = { id: string; owner: string | undefined; reason: string }
