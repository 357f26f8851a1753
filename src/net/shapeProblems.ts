/**
 * Shape checks for the JSON AO units answer with. Each returns what is wrong, in a few words
 * naming the field (for a ProtocolError), or undefined when the value has the shape.
 */

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const optionalText = (value: unknown) => value === undefined || value === null || typeof value === 'string'

/** Problems of a `{ name, value }[]` tag list, or undefined. */
export function tagsProblem(value: unknown, where: string): string | undefined {
  if (!Array.isArray(value)) return `${where} is not a list of tags`
  const bad = value.findIndex((tag: unknown) => !isObject(tag) || typeof tag['name'] !== 'string' || typeof tag['value'] !== 'string')
  return bad < 0 ? undefined : `${where}[${bad}] is not a { name, value } tag of strings`
}

/** Problems of an `{ address, key }` owner, or undefined. */
export function ownerProblem(value: unknown, where: string): string | undefined {
  if (!isObject(value) || typeof value['address'] !== 'string' || typeof value['key'] !== 'string') return `${where} is not an { address, key } owner`
  return undefined
}

/** Problems of a data item as the SU shows it (a message or an assignment), or undefined. */
function itemProblem(value: unknown, where: string): string | undefined {
  if (!isObject(value)) return `${where} is not an object`
  if (typeof value['id'] !== 'string' || !value['id']) return `${where}.id is not a string`
  for (const field of ['data', 'signature', 'anchor', 'target']) {
    if (!optionalText(value[field])) return `${where}.${field} is not a string or null`
  }
  return ownerProblem(value['owner'], `${where}.owner`) ?? tagsProblem(value['tags'], `${where}.tags`)
}

/** Problems of one SU log node `{ message, assignment }` (`message` may be null), or undefined. */
export function suNodeProblem(value: unknown, where: string): string | undefined {
  if (!isObject(value)) return `${where} is not an object`
  const message = value['message']
  return itemProblem(value['assignment'], `${where}.assignment`) ?? (message === null || message === undefined ? undefined : itemProblem(message, `${where}.message`))
}

/** Problems of a process as `GET /processes/{id}` returns it, or undefined. */
export function suProcessProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the process is not an object'
  if (typeof value['process_id'] !== 'string') return 'process_id is not a string'
  if (typeof value['block'] !== 'string') return 'block is not a string'
  if (typeof value['timestamp'] !== 'number') return 'timestamp is not a number'
  for (const field of ['data', 'signature', 'anchor', 'target']) {
    if (!optionalText(value[field])) return `${field} is not a string or null`
  }
  return ownerProblem(value['owner'], 'owner') ?? tagsProblem(value['tags'], 'tags')
}
