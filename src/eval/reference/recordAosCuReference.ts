// Records what ao-loader called the CU's way computes over each aos fixture's reference log
// (results, memory at chosen nonces, a Balances dry-run) into <fixture>.cu.json beside this file.
// Usage: npx tsx src/eval/reference/recordAosCuReference.ts [fixture ...]   (about 1 s per message)
import { writeFile } from 'node:fs/promises'
import { loadFixture } from '../../../processes/loadFixture.ts'
import { moduleOptionsFromTags } from '../../core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../createWorkerEvaluator.ts'
import type { MemoryDigest } from '../../core/evaluator/memoryDigest.ts'
import { spawnNodeWorker } from '../node/spawnNodeWorker.ts'
import { aosReferenceFixtures, aosReferenceLog, aosReferenceLogOptions, balancesDryRun, isChosenNonce, logSha256, referencePath, resultSha256, type AosCuReference } from './aosCuReference.ts'

const names = process.argv.length > 2 ? process.argv.slice(2) : [...aosReferenceFixtures]
for (const name of names) {
  const fixture = await loadFixture(name)
  const log = aosReferenceLog(fixture)
  const env = { Process: log.process, Module: log.module }
  const cu = await createWorkerEvaluator(spawnNodeWorker, fixture.wasm, moduleOptionsFromTags(log.module.Tags, log.process.Tags), { mode: 'cu', messageTimeoutMs: 600_000 })
  const started = performance.now()
  try {
    const results: string[] = []
    const errors: number[] = []
    const memory: Record<string, MemoryDigest> = {}
    const lastNonce = log.messages[log.messages.length - 1]!.Nonce!
    for (const msg of log.messages) {
      const [step] = await cu.evaluate([msg], env)
      const isError = step!.result.Error !== undefined
      results.push(resultSha256(step!.result))
      if (isChosenNonce(msg.Nonce!, isError, errors.length, lastNonce)) memory[msg.Nonce!] = await cu.digest()
      if (isError) errors.push(msg.Nonce!)
      if (msg.Nonce! % 25 === 0) console.error(`${name}: nonce ${msg.Nonce}, ${((performance.now() - started) / 1000).toFixed(0)} s`)
    }
    const balances = await cu.query(balancesDryRun(log), env)
    const reference: AosCuReference = { fixture: name, moduleSha256: fixture.sha256, log: { ...aosReferenceLogOptions(name), sha256: logSha256(log) }, results, errors, memory, balances }
    await writeFile(referencePath(name), `${JSON.stringify(reference, null, 1)}\n`)
    console.error(`${name}: recorded ${results.length} results, ${errors.length} errors, memory at ${Object.keys(memory).join(', ')} in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  } finally {
    cu.terminate()
  }
}
