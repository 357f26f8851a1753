import { setFlagsFromString } from 'node:v8'
import { expose, transfer, wrap, type Remote } from 'comlink'
import { afterEach, describe, expect, it } from 'vitest'
import { loadFixture } from '../processes/loadFixture.ts'
import { generateTokenLog } from '../processes/tokenLog.ts'
import { moduleOptionsFromTags } from '../src/core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../src/eval/createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../src/eval/node/spawnNodeWorker.ts'
import { aosReferenceLog, balancesDryRun, loadAosCuReference, memoryDifference, resultSha256 } from '../src/eval/reference/aosCuReference.ts'
import type { EvaluatorApi, PortStep, Step, StepPort } from '../src/core/evaluator/protocol.ts'
import { createEvaluatorApi } from './evaluator.api.ts'

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

  it('runs a real aos module (aos-sqlite, wasm64): the CU way\'s recorded results, memory at chosen nonces and Balances dry-run', async () => {
    // memory64 is behind a flag in Node 20: here the API runs in this process, not in a worker that sets it.
    setFlagsFromString('--experimental-wasm-memory64')
    const fixture = await loadFixture('aos-sqlite')
    const log = aosReferenceLog(fixture)
    const reference = await loadAosCuReference(fixture, log)
    const env = { Process: log.process, Module: log.module }
    const api = connect()
    expect(await api.load(fixture.wasm, moduleOptionsFromTags(log.module.Tags, log.process.Tags), 'hot')).toEqual({ ok: true })
    const stepChannel = new MessageChannel()
    channels.push(stepChannel)
    const steps: Step[] = []
    stepChannel.port1.onmessage = (event: MessageEvent<PortStep>) => void steps.push(event.data.step)
    await api.connect(transfer(stepChannel.port2 as StepPort, [stepChannel.port2]))
    // In runs ending at the nonces the reference has memory for, each followed by a digest.
    let from = 0
    for (const [i, msg] of log.messages.entries()) {
      const expected = reference.memory[msg.Nonce!]
      if (!expected) continue
      for (let at = from; at <= i; at += 16) await api.evaluateOnPort(1, log.messages.slice(at, Math.min(at + 16, i + 1)), env)
      expect(await memoryDifference((length) => api.digest(length), expected), `memory after nonce ${msg.Nonce}`).toBeUndefined()
      from = i + 1
    }
    expect(from).toBe(log.messages.length)
    while (steps.length < log.messages.length) await new Promise((resolve) => setTimeout(resolve, 5))
    steps.forEach((step, i) => expect(resultSha256(step.result), `nonce ${log.messages[i]!.Nonce}: ${JSON.stringify(step.result).slice(0, 400)}`).toBe(reference.results[i]))
    expect(reference.errors.length).toBeGreaterThanOrEqual(3)
    expect(await api.query(balancesDryRun(log), env)).toEqual(reference.balances)
  })

  it('reports a module that does not load as data, not as a thrown error', async () => {
    const api = connect()
    const outcome = await api.load(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]), moduleOptionsFromTags([{ name: 'Module-Format', value: 'wasm32-unknown-assemblyscript' }]), 'hot')
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) expect(outcome.error.message).toMatch(/not a valid/i)
  })
})
