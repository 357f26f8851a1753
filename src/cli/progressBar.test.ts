import { describe, expect, it } from 'vitest'
import { progressBar } from './progressBar.ts'

/** A stream that keeps what is written; a terminal or not. */
function stream(isTTY: boolean) {
  const written: string[] = []
  return { written, stream: { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream }
}

const waiting = 'waiting for http://cu.test (429 rate limited, retry in 2 s, attempt 2 of 5)'

describe('progressBar', () => {
  it('shows a note (which CU is waited for) on the terminal line, and drops it when cleared', () => {
    const out = stream(true)
    const bar = progressBar(out.stream, 10, 'verify')
    bar.update(3)
    bar.note(waiting)
    const line = out.written.at(-1)!
    expect(line).toMatch(/^\rverify \[#+\.+\] 3\/10 /)
    expect(line.endsWith(` · ${waiting} \u001b[K`)).toBe(true)
    bar.note('')
    expect(out.written.at(-1)).not.toContain('waiting')
  })

  it('writes each new note on its own line when stderr is not a terminal, and no bar', () => {
    const out = stream(false)
    const bar = progressBar(out.stream, 10, 'verify')
    bar.update(3)
    bar.note(waiting)
    bar.note(waiting)
    bar.note('')
    expect(out.written).toEqual([`verify: ${waiting}\n`])
  })
})
