import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../processes/loadFixture.ts'
import { generateTokenLog } from '../../processes/tokenLog.ts'
import { moduleOptionsFromTags } from '../core/module/moduleOptionsFromTags.ts'
import { createWorkerEvaluator } from '../eval/createWorkerEvaluator.ts'
import { spawnNodeWorker } from '../eval/node/spawnNodeWorker.ts'

const dir = mkdtempSync(join(tmpdir(), 'holoscope-cli-'))

function holoscope(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/holoscope.ts', ...args], { encoding: 'utf8', timeout: 120_000 })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

async function files(name: string, count: number) {
  const fixture = await loadFixture(name)
  const log = generateTokenLog({ moduleTags: fixture.tags, count, seed: 11 })
  const logPath = join(dir, `${name}.log.json`)
  const modulePath = join(dir, `${name}.wasm`)
  writeFileSync(logPath, JSON.stringify(log))
  writeFileSync(modulePath, fixture.wasm)
  return { log, logPath, modulePath, fixture }
}

describe.each(['lua-token', 'as-token'])('holoscope replay (%s)', (name) => {
  it('prints every result and the memory SHA-256 the evaluator reaches', async () => {
    const { log, logPath, modulePath, fixture } = await files(name, 60)
    const run = holoscope('replay', '--module', modulePath, '--log', logPath, '--json')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const out = JSON.parse(run.stdout) as { results: Array<{ nonce: number; result: { Error?: unknown } }>; memory: { sha256: string; length: number } }
    expect(out.results.map((r) => r.nonce)).toEqual(log.messages.map((m) => m.Nonce))
    const evaluator = await createWorkerEvaluator(spawnNodeWorker, fixture.wasm, moduleOptionsFromTags(fixture.tags))
    try {
      const steps = await evaluator.evaluate(log.messages, { Process: log.process, Module: log.module })
      expect(out.results.map((r) => r.result)).toEqual(steps.map((s) => s.result))
      expect(out.memory).toEqual({ sha256: (await evaluator.digest()).sha256, length: (await evaluator.digest()).length })
    } finally {
      evaluator.terminate()
    }
  })

  it('gives the same results the CU way (--mode cu), and prints a readable table without --json', async () => {
    const { logPath, modulePath } = await files(name, 40)
    const hot = JSON.parse(holoscope('replay', '--module', modulePath, '--log', logPath, '--json').stdout)
    const cu = JSON.parse(holoscope('replay', '--module', modulePath, '--log', logPath, '--json', '--mode', 'cu').stdout)
    expect(cu.results).toEqual(hot.results)
    const text = holoscope('replay', '--module', modulePath, '--log', logPath)
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/#\s+1 .*Transfer\s+→ 2 msg \(Debit-Notice, Credit-Notice\)/)
    expect(text.stdout).toMatch(new RegExp(`memory: \\d+ bytes, SHA-256 ${hot.memory.sha256}`))
  })
})

describe('holoscope replay with bad input', () => {
  it('says what is wrong with exit code 2 and no stack trace', async () => {
    const { logPath, modulePath } = await files('as-token', 3)
    const garbage = join(dir, 'garbage.json')
    writeFileSync(garbage, JSON.stringify({ process: { Id: 'x', Owner: 'y', Tags: [] }, module: { Id: 'm', Owner: 'o', Tags: [] }, messages: [{ Tags: 'nope' }] }))
    const notWasm = join(dir, 'page.wasm')
    writeFileSync(notWasm, '<html>404</html>')
    const cases: Array<[string[], RegExp]> = [
      [['replay', '--module', modulePath], /needs --module FILE.wasm and --log LOG.json/],
      [['replay', '--module', modulePath, '--log', join(dir, 'missing.json')], /Cannot read the log file .*missing.json: ENOENT/],
      [['replay', '--module', modulePath, '--log', garbage], /messages\[0\]\.Tags is not a list/],
      [['replay', '--module', notWasm, '--log', logPath], /not a valid wasm32-unknown-assemblyscript WebAssembly module[\s\S]*check the id/],
      [['replay', '--module', modulePath, '--log', logPath, '--format', 'wasm32-unknown-wasi'], /"wasm32-unknown-wasi" is not supported/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ]
    for (const [args, message] of cases) {
      const run = holoscope(...args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toMatch(message)
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /)
    }
  })
})

describe('holoscope with a mistyped command line', () => {
  it('names the mistake, prints the command\'s usage and exits 2, with no stack trace', () => {
    const replay = /holoscope replay --module FILE\.wasm --log LOG\.json \[options\]/
    const verify = /holoscope verify <process-id> \[options\]/
    const urls = ['--gateway', 'http://127.0.0.1:1', '--cu', 'http://127.0.0.1:1']
    const cases: Array<[string[], RegExp, RegExp]> = [
      [['replay', '--frobnicate'], /Unknown option '--frobnicate'/, replay],
      [['replay', '--module', 'm.wasm', '--log'], /Option '--log <value>' argument missing/, replay],
      [['replay', '--module', 'm.wasm', '--log', 'l.json', '--timeout', 'soon'], /--timeout must be a positive number of seconds, not "soon"/, replay],
      [['replay', '--module', 'm.wasm', '--log', 'l.json', '--mode', 'warm'], /--mode must be hot or cu, not "warm"/, replay],
      [['verify', ...urls], /verify needs a process id/, verify],
      [['verify', 'some-process', ...urls, '--to', '1.5'], /--to must be a nonce \(0 or more\), not "1.5"/, verify],
      [['verify', 'some-process', ...urls, '--to', '-1'], /Option '--to' argument is ambiguous/, verify],
      [['verify', 'some-process', '--gateway', 'nowhere', '--cu', 'http://127.0.0.1:1'], /"nowhere" is not a URL/, verify],
    ]
    for (const [args, message, usage] of cases) {
      const run = holoscope(...args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toMatch(message)
      expect(run.stderr, args.join(' ')).toMatch(usage)
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /)
      expect(run.stdout, args.join(' ')).toBe('')
    }
  })
})
