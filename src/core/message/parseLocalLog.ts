import { BaseError } from '../errors/BaseError.ts'
import type { AoEnv, AoMessage, Tag } from './types.ts'

/** A local log: the env parts and the messages in order, as the evaluator receives them. */
export type LocalLog = { process: AoEnv['Process']; module: AoEnv['Module']; messages: AoMessage[] }

/** A local log's text is not a Holoscope log. */
export class LocalLogError extends BaseError {
  override name = 'LocalLogError'
}

/**
 * Parses and checks a local log (`{ process, module, messages }`).
 *
 * @param text the file's text
 * @param source how to name the file in errors
 * @throws LocalLogError naming the first thing wrong
 */
export function parseLocalLog(text: string, source: string): LocalLog {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new LocalLogError(`The log file ${source} is not JSON (${(error as Error).message})`)
  }
  const problem = checkLog(json)
  if (problem) {
    throw new LocalLogError(`The log file ${source} is not a Holoscope log: ${problem}`, {
      details: 'Expected { "process": { "Id", "Owner", "Tags" }, "module": { "Id", "Owner", "Tags" }, "messages": [ ... ] }.',
    })
  }
  return json as LocalLog
}

function checkLog(json: unknown): string | undefined {
  if (!isObject(json)) return 'the top level is not an object'
  for (const key of ['process', 'module'] as const) {
    const part = json[key]
    if (!isObject(part)) return `"${key}" is missing`
    if (typeof part.Id !== 'string' || typeof part.Owner !== 'string') return `"${key}" needs string Id and Owner`
    if (!isTags(part.Tags)) return `"${key}.Tags" is not a list of { name, value }`
  }
  if (!Array.isArray(json.messages)) return '"messages" is not a list'
  for (const [i, msg] of json.messages.entries()) {
    if (!isObject(msg)) return `messages[${i}] is not an object`
    if (!isTags(msg.Tags)) return `messages[${i}].Tags is not a list of { name, value }`
    if (typeof msg.Owner !== 'string' || typeof msg.From !== 'string') return `messages[${i}] needs string Owner and From`
    if (typeof msg.Timestamp !== 'number' || typeof msg['Block-Height'] !== 'number') return `messages[${i}] needs numeric Timestamp and Block-Height`
  }
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isTags(value: unknown): value is Tag[] {
  return Array.isArray(value) && value.every((t) => isObject(t) && typeof t.name === 'string' && typeof t.value === 'string')
}
