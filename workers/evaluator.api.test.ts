import { expose, transfer, wrap, type Remote } from 'comlink'
import { afterEach, describe, expect, it } from 'vitest'
import { loadFixture } from '../processes/loadFixture.ts'
import { generateTokenLog } from '../processes/tokenLog.ts'
import { moduleOptionsFromTags } from '../src/core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../src/eval/createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../src/eval/node/spawnNodeWorker.ts'
import { createEvaluatorApi, type EvaluatorApi, type PortStep, type Step, type StepPort } from './evaluator.api.ts'

// The worker API without a worker: exposed on one end of a MessageChannel, called through
// comlink from the other, as the app calls it in a Web Worker (the real-worker runs are the
// Node-worker tests and the Chromium e2e).
describe('the evaluator API over a MessageChannel', () => {
  const channels: MessageChannel[] = []
  afterEach(() => {
    for (const c of channels.splice(0)) {
      c.port1.close()
      c.port2.close()
    }
  })
  const connect = (): Remote<EvaluatorApi> => {
    const channel = new MessageChannel()
    channels.push(channel)
    expose(createEvaluatorApi(), channel.port1 as unknown as Parameters<typeof expose>[1])
    return wrap<EvaluatorApi>(channel.port2 as unknown as Parameters<typeof wrap>[0])
  }

  it('loads a module and gives the results a worker evaluator gives, message by message', async () => {
    const fixture = await loadFixture('as-token')
    const log = generateTokenLog({ moduleTags: fixture.tags, count: 40, seed: 3 })
    const env = { Process: log.process, Module: log.module }
    const options = moduleOptionsFromTags(fixture.tags)
    const api = connect()
    expect(await api.load(fixture.wasm, options, 'hot')).toEqual({ ok: true })
    // Steps come back on a port of their own, one posted message per evaluated message.
    const stepChannel = new MessageChannel()
    channels.push(stepChannel)
    const steps: Step[] = []
    stepChannel.port1.onmessage = (event: MessageEvent<PortStep>) => void steps.push(event.data.step)
    await api.connect(transfer(stepChannel.port2 as StepPort, [stepChannel.port2]))
    for (let from = 0; from < log.messages.length; from += 16) await api.evaluateOnPort(1, log.messages.slice(from, from + 16), env, true)
    // The last steps may still be on their way when the last call returns.
    while (steps.length < log.messages.length) await new Promise((resolve) => setTimeout(resolve, 5))
    const reference = await createWorkerEvaluator(spawnNodeWorker, fixture.wasm, options)
    try {
      const expected = await reference.evaluate(log.messages, env, true)
      expect(steps).toEqual(expected)
      expect(steps.some((s) => s.result.Error !== undefined)).toBe(true)
    } finally {
      reference.terminate()
    }
  })

  it('reports a module that does not load as data, not as a thrown error', async () => {
    const api = connect()
    const outcome = await api.load(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]), moduleOptionsFromTags([{ name: 'Module-Format', value: 'wasm32-unknown-assemblyscript' }]), 'hot')
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) expect(outcome.error.message).toMatch(/not a valid/i)
  })
})
