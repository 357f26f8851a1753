import type { AoMessage, EvalResult, Tag } from '../core/message/types.ts'

/** One line describing a message's result, for the CLI. */
export function summarizeResult(msg: AoMessage, result: EvalResult): string {
  const nonce = msg.Nonce === undefined ? '-' : String(msg.Nonce)
  const action = msg.Tags.find((t) => t.name === 'Action')?.value ?? (msg.Id === undefined ? '' : 'Process')
  const parts = [`#${nonce.padStart(5)}`, (msg.Id ?? '').slice(0, 8), action.padEnd(12)]
  if (result.Error !== undefined) parts.push(`Error: ${oneLine(result.Error)}`)
  else {
    const sent = result.Messages.map((m) => ((m.Tags as Tag[] | undefined)?.find((t) => t.name === 'Action')?.value ?? '?'))
    parts.push(`→ ${result.Messages.length} msg${sent.length ? ` (${sent.join(', ')})` : ''}`)
    const output = oneLine(result.Output)
    if (output) parts.push(`out: ${output}`)
  }
  return parts.join('  ')
}

function oneLine(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat
}
