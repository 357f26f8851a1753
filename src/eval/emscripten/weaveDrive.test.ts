import { afterAll, describe, expect, it } from 'vitest'
import { loadFixture } from '../../../processes/loadFixture.ts'
import { generateAosTokenLog } from '../../../processes/aosTokenLog.ts'
import { buildAoMessage } from '../../core/message/toAoMessage.ts'
import { moduleOptionsFromTags } from '../../core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator, type WorkerEvaluator } from '../createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../node/spawnNodeWorker.ts'
import { createHostFaults } from './hostFaults.ts'
import { weaveDriveOptions } from './weaveDrive.ts'

const started: WorkerEvaluator[] = []
afterAll(() => started.forEach((e) => e.terminate()))

describe('weaveDriveOptions', () => {
  const options = (format: string, extensions: Record<string, Record<string, string>> = {}) => ({ format, memoryLimit: 1024 ** 3, computeLimit: 9e12, extensions }) as Parameters<typeof weaveDriveOptions>[0]

  it('attaches WeaveDrive where the CU does: the wasm64 draft_2024_02_15 format, or an Extension tag', () => {
    expect(weaveDriveOptions(options('wasm64-unknown-emscripten-draft_2024_02_15'), createHostFaults())).toHaveProperty('WeaveDrive')
    expect(weaveDriveOptions(options('wasm32-unknown-emscripten4', { WeaveDrive: {} }), createHostFaults())).toHaveProperty('WeaveDrive')
    expect(weaveDriveOptions(options('wasm32-unknown-emscripten4'), createHostFaults())).toEqual({})
    expect(weaveDriveOptions(options('wasm64-unknown-emscripten-draft_2024_10_16-metering'), createHostFaults())).toEqual({})
  })

  it('answers "no file" outside /data/, and records a read of Arweave data as a host fault', async () => {
    const faults = createHostFaults()
    const { WeaveDrive } = weaveDriveOptions(options('wasm64-unknown-emscripten-draft_2024_02_15'), faults) as { WeaveDrive: () => { open(path: string): Promise<number> } }
    expect(await WeaveDrive().open('/usr/local/share/lua/5.3/bit.lua')).toBe(0)
    expect(() => faults.check()).not.toThrow()
    expect(await WeaveDrive().open('/data/abc')).toBe(0)
    expect(() => faults.check()).toThrow(/reads Arweave data through WeaveDrive \(\/data\/abc\)/)
  })
})

describe('aos 2.0.6 with WeaveDrive attached', () => {
  it('evaluates a token as without it, and stops with an EvaluatorHostError when a message opens /data/<id>', async () => {
    const fixture = await loadFixture('aos-2.0.6')
    const log = generateAosTokenLog({ moduleTags: fixture.tags, count: 12, seed: 5 })
    const evaluator = await createWorkerEvaluator(spawnNodeWorker, fixture.wasm, moduleOptionsFromTags(log.module.Tags, log.process.Tags))
    started.push(evaluator)
    const env = { Process: log.process, Module: log.module }
    const steps = await evaluator.evaluate(log.messages, env)
    // The token loaded (its Eval answered) and transfers sent notices.
    expect(JSON.stringify(steps[1]!.result.Output)).toContain('Holoscope token loaded')
    expect(steps.some((s) => s.result.Messages.some((m) => JSON.stringify(m).includes('Debit-Notice')))).toBe(true)
    const last = log.messages.at(-1)!
    const read = buildAoMessage({ ...last, Owner: log.process.Owner, From: log.process.Owner, Id: 'r'.repeat(43), Nonce: last.Nonce! + 1, Tags: [{ name: 'Action', value: 'Eval' }], Data: 'local f = io.open("/data/' + 'x'.repeat(43) + '"); return tostring(f)' })
    await expect(evaluator.evaluate([read], env)).rejects.toMatchObject({ name: 'EvaluatorHostError', message: expect.stringMatching(/WeaveDrive \(\/data\/x{43}\)/) })
  })
})
