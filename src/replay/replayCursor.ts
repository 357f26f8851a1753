import { nextCumulativeHash } from '../core/verify/cumulativeHash.ts'
import { nonceOf } from '../core/message/nonceOf.ts'
import { tagValue } from '../core/message/tagValue.ts'
import type { AoMessage, EvalResult, SuNode } from '../core/message/types.ts'
import type { StoredResult } from '../store/openStore.ts'
import type { Resume } from './resumePoint.ts'

/** The last evaluated message: its time and block height (a dry-run's), its id and assignment. */
export type LastMessage = { timestamp: number; blockHeight: number; messageId: string; assignmentId?: string }

/**
 * How far a replay got: the nonce reached, the cumulative hash of its results and the SU's hash
 * chain there, the last message, and how many messages were fetched and evaluated.
 */
export type ReplayCursor = { reached: number; cumulative: string; hashChain: string | undefined; last: LastMessage; fetched: number; evaluated: number }

/** A cursor at the replay's starting point. */
export function cursorAt(resume: Resume, processId: string): ReplayCursor {
  const reached = 'nonce' in resume.start ? resume.start.nonce : -1
  const last = { timestamp: resume.timestamp, blockHeight: resume.blockHeight, messageId: resume.messageId ?? processId }
  return { reached, cumulative: resume.cumulative, hashChain: resume.hashChain, last, fetched: 0, evaluated: 0 }
}

/** Moves the cursor past one evaluated message and returns its result to store. */
export function advanceCursor(cursor: ReplayCursor, node: SuNode, msg: AoMessage, result: EvalResult, processId: string): StoredResult {
  const nonce = nonceOf(node)
  cursor.last.timestamp = msg.Timestamp
  cursor.last.blockHeight = msg['Block-Height']
  cursor.last.messageId = msg.Id ?? processId
  cursor.last.assignmentId = node.assignment.id
  cursor.hashChain = tagValue(node.assignment.tags, 'Hash-Chain') ?? cursor.hashChain
  cursor.cumulative = nextCumulativeHash(cursor.cumulative, nonce, result)
  cursor.evaluated++
  cursor.reached = nonce
  return { nonce, messageId: cursor.last.messageId, digest: cursor.cumulative, result }
}
