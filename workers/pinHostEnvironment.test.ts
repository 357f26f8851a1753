import { describe, expect, it } from 'vitest'
import { loadFixture } from '../processes/loadFixture.ts'
import { generateTokenLog } from '../processes/tokenLog.ts'
import { defaultHostProfile, knownHostProfiles } from '../src/core/host/knownHostProfiles.ts'
import { parseHostProfile } from '../src/core/host/parseHostProfile.ts'
import type { HostProfile } from '../src/core/host/types.ts'
import { moduleOptionsFromTags } from '../src/core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../src/eval/createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../src/eval/node/spawnNodeWorker.ts'

const officialCu = knownHostProfiles.find((p) => p.id === 'official-cu-docker')!

/** The results and the final memory SHA-256 of a fixture's token log replayed in a Node worker under `host`. */
async function replay(fixtureName: string, host: HostProfile | undefined, mode: 'hot' | 'cu' = 'hot') {
  const fixture = await loadFixture(fixtureName)
  const log = generateTokenLog({ moduleTags: fixture.tags, count: 12, seed: 5 })
  const evaluator = await createWorkerEvaluator(spawnNodeWorker, fixture.wasm, moduleOptionsFromTags(fixture.tags), { hostProfile: host, mode })
  try {
    const steps = await evaluator.evaluate(log.messages, { Process: log.process, Module: log.module })
    return { results: steps.map((s) => s.result), sha256: (await evaluator.digest()).sha256 }
  } finally {
    evaluator.terminate()
  }
}

// The Lua fixtures read their environment (Lua's package library asks for LUA_PATH), so the
// glue writes the host into memory; messages' results never depend on it.
describe('evaluator workers under host profiles', () => {
  it("keeps Holoscope's memory unchanged by default, and writes another CU's program path into memory, not into results", async () => {
    const [unset, pinned, official, elsewhere] = await Promise.all([
      replay('lua-token', undefined),
      replay('lua-token', defaultHostProfile),
      replay('lua-token', officialCu),
      replay('lua-token', parseHostProfile('/srv/cu/src/effects/worker/evaluator/index.js@0.0.44')),
    ])
    expect(pinned).toEqual(unset)
    expect(official.results).toEqual(unset.results)
    expect(official.sha256).not.toBe(unset.sha256)
    expect(elsewhere.sha256).not.toBe(official.sha256)
  })

  it('follows the ao-loader version: 0.0.49 writes no environment for emscripten4, 0.0.44 does', async () => {
    const path = officialCu.programPath
    const [plain, newer, older] = await Promise.all([
      replay('lua-token4', undefined),
      replay('lua-token4', parseHostProfile(`${path}@0.0.49`)),
      replay('lua-token4', parseHostProfile(`${path}@0.0.44`)),
    ])
    expect(newer.sha256).toBe(plain.sha256)
    expect(older.results).toEqual(plain.results)
    expect(older.sha256).not.toBe(plain.sha256)
  })

  it("gives under ao-loader 0.0.44 hot the memory of ao-loader 0.0.44 the CU's way (its per-message memory copy, skipped when hot, changes nothing)", async () => {
    for (const name of ['lua-token', 'lua-token4']) {
      const [hot, cuWay] = await Promise.all([replay(name, officialCu, 'hot'), replay(name, officialCu, 'cu')])
      expect(hot).toEqual(cuWay)
    }
  })
})
