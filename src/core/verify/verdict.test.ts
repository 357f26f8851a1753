import { expect, it } from 'vitest'
import { describeChecked, isMemoryClaim } from './verdict.ts'

it('names what was proven in two parts: results and dry-runs, then memory claims', () => {
  expect(describeChecked({ results: 1501, checkpoints: 3, state: true, dryRun: true })).toEqual({ results: '1,501 message results, a dry-run', memory: '3 signed checkpoints, its state' })
  expect(describeChecked({ results: 1, checkpoints: 0, state: false, dryRun: false })).toEqual({ results: '1 message result', memory: undefined })
  expect(['result', 'dry-run', 'checkpoint', 'state'].filter((c) => isMemoryClaim(c as never))).toEqual(['checkpoint', 'state'])
})
