import { describe, expect, it } from 'vitest'
import { checkpointDue } from './checkpointDue.ts'

const policy = { everyMessages: 100, everySeconds: 30 }

describe('checkpointDue', () => {
  it('is due after everyMessages messages', () => {
    expect(checkpointDue({ messages: 99, evaluationMs: 0, atEnd: false }, policy)).toBe(false)
    expect(checkpointDue({ messages: 100, evaluationMs: 0, atEnd: false }, policy)).toBe(true)
  })

  it('is due after everySeconds of evaluation, however few the messages', () => {
    expect(checkpointDue({ messages: 3, evaluationMs: 29_999, atEnd: false }, policy)).toBe(false)
    expect(checkpointDue({ messages: 3, evaluationMs: 30_000, atEnd: false }, policy)).toBe(true)
  })

  it('is due at the end, but never with nothing evaluated since the last one', () => {
    expect(checkpointDue({ messages: 1, evaluationMs: 0, atEnd: true }, policy)).toBe(true)
    expect(checkpointDue({ messages: 0, evaluationMs: 60_000, atEnd: true }, policy)).toBe(false)
  })
})
