import { describe, expect, test } from 'vitest'
import { checkProcessId, InvalidProcessIdError, isArweaveId } from './processId.ts'

const id = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123-_Q'

describe('process ids', () => {
  test('an id is 43 characters of base64url; a typed one is trimmed', () => {
    expect(id).toHaveLength(43)
    expect(isArweaveId(id)).toBe(true)
    expect(checkProcessId(`  ${id}\n`)).toBe(id)
  })

  test.each([id.slice(1), `${id}A`, `${id.slice(1)}+`, `${id.slice(1)}=`, ''])('refuses %j, saying what an id is and how long the input was', (value) => {
    expect(isArweaveId(value)).toBe(false)
    expect(() => checkProcessId(value)).toThrow(InvalidProcessIdError)
    expect(() => checkProcessId(value)).toThrow(`is not a process id: an id is 43 characters of A–Z, a–z, 0–9, - and _ (it has ${value.length}).`)
  })
})
