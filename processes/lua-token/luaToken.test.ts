import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createHash } from 'node:crypto'
import AoLoader from '@permaweb/ao-loader'
import { describe, expect, it } from 'vitest'
import type { AoEnv, AoMessage, Tag } from '../../src/core/message/types.ts'
import { buildAoMessage } from '../../src/core/message/toAoMessage.ts'
import { moduleOptionsFromTags } from '../../src/core/module/moduleOptionsFromTags.ts'
import { createEvaluator } from '../../src/eval/createEvaluator.ts'
import { generateTokenLog } from '../tokenLog.ts'

// The fixture as built by `npm run fixtures` (processes/lua-token/build.mjs), run by ao-loader's
// wasm32-unknown-emscripten2 glue exactly as a CU runs such a module; and, when
// processes/lua-token4/ exists, its build for the async wasm32-unknown-emscripten4 glue.

const PROCESS_ID = 'lua-token-process-00000000000000000000000000'
const OWNER = 'owner-wallet-0000000000000000000000000000000'
const ALICE = 'alice-wallet-000000000000000000000000000000'
const BOB = 'bob-wallet-00000000000000000000000000000000'
const MIB = 1024 * 1024

const buildDir = fileURLToPath(new URL('../build/', import.meta.url))
const fixtures = ['lua-token', ...(existsSync(fileURLToPath(new URL('../lua-token4/build.mjs', import.meta.url))) ? ['lua-token4'] : [])]
const formats: Record<string, string> = { 'lua-token': 'wasm32-unknown-emscripten2', 'lua-token4': 'wasm32-unknown-emscripten4' }

type Result = {
  Memory: Uint8Array
  Output: unknown
  Messages: Array<{ Target: string; Data: string; Anchor: string; Tags: Tag[] }>
  Spawns: unknown[]
  Assignments: unknown[]
  Error?: unknown
}
type Handle = (memory: Uint8Array | null, msg: AoMessage, env: AoEnv) => Promise<Result>

const anchor = (n: number): string => String(n).padStart(32, '0')
const pairs = (tags: Tag[] | undefined): Array<[string, string]> => (tags ?? []).map((t) => [t.name, t.value])

describe.each(fixtures)('%s (Lua 5.3 on emscripten)', (name) => {
  const format = formats[name]!
  const wasm = readFileSync(`${buildDir}${name}.wasm`)
  const meta = JSON.parse(readFileSync(`${buildDir}${name}.json`, 'utf8')) as { format: string; tags: Tag[]; sha256: string }
  const load = async (unsafeMemory = false): Promise<Handle> =>
    (await AoLoader(wasm, { format, memoryLimit: '524288000', computeLimit: 9e12, extensions: [], UNSAFE_MEMORY: unsafeMemory } as never)) as unknown as Handle

  function tokenEnv(processTags: Tag[] = []): AoEnv {
    return {
      Process: { Id: PROCESS_ID, Owner: OWNER, Tags: [{ name: 'Data-Protocol', value: 'ao' }, { name: 'Type', value: 'Process' }, ...processTags] },
      Module: { Id: `${name}-module`, Owner: OWNER, Tags: meta.tags },
    }
  }

  function message(nonce: number, from: string, tags: Record<string, string>): AoMessage {
    return buildAoMessage({
      Id: nonce === 0 ? PROCESS_ID : `message-${String(nonce).padStart(8, '0')}`,
      Signature: `signature-${nonce}`,
      Data: '',
      Owner: from,
      Target: PROCESS_ID,
      Anchor: null,
      From: from,
      Tags: Object.entries(tags).map(([tagName, value]) => ({ name: tagName, value })),
      Epoch: 0,
      Nonce: nonce,
      Timestamp: 1_700_000_000_000 + nonce * 1000,
      'Block-Height': 1_500_000 + nonce,
      'Hash-Chain': `hash-chain-${nonce}`,
      Cron: false,
    })
  }

  /** A fresh module instance, initialised; `send` numbers messages from 1 and carries memory along. */
  async function token(processTags: Tag[] = []) {
    const handle = await load()
    const env = tokenEnv(processTags)
    const init = await handle(null, message(0, OWNER, { Type: 'Process' }), env)
    let memory = init.Memory
    let nonce = 0
    const send = async (from: string, tags: Record<string, string>): Promise<Result> => {
      const result = await handle(memory, message(++nonce, from, tags), env)
      memory = result.Memory
      return result
    }
    return { handle, env, init, send, memory: () => memory }
  }

  it('has the module tags and hash of its build', () => {
    expect(meta.format).toBe(format)
    expect(meta.sha256).toBe(createHash('sha256').update(wasm).digest('hex'))
    expect(pairs(meta.tags)).toContainEqual(['Module-Format', format])
    expect(pairs(meta.tags)).toContainEqual(['Memory-Limit', '500-mb'])
  })

  it('initialises from the process tags, with defaults', async () => {
    const plain = await token()
    expect(plain.init.Output).toBe('Token Holoscope Test Token initialised')
    expect(plain.init.Messages).toEqual([])
    expect(plain.init.Error).toBeUndefined()
    expect(pairs((await plain.send(ALICE, { Action: 'Info' })).Messages[0]?.Tags)).toEqual([
      ['Action', 'Info-Response'],
      ['Name', 'Holoscope Test Token'],
      ['Ticker', 'HTT'],
      ['Denomination', '12'],
      ['Total-Supply', '1000000000000000'],
    ])

    const custom = await token([
      { name: 'Name', value: 'Custom' },
      { name: 'Ticker', value: 'CUS' },
      { name: 'Denomination', value: '3' },
      { name: 'Initial-Supply', value: '500' },
    ])
    expect(custom.init.Output).toBe('Token Custom initialised')
    const info = await custom.send(ALICE, { Action: 'Info' })
    expect(info.Messages).toEqual([
      {
        Target: ALICE,
        Data: '',
        Anchor: anchor(1),
        Tags: [
          { name: 'Action', value: 'Info-Response' },
          { name: 'Name', value: 'Custom' },
          { name: 'Ticker', value: 'CUS' },
          { name: 'Denomination', value: '3' },
          { name: 'Total-Supply', value: '500' },
        ],
      },
    ])
  })

  it('Balance of the owner is the Initial-Supply; unknown accounts have 0', async () => {
    const { send } = await token([{ name: 'Initial-Supply', value: '123456789012345678901234567890' }])
    const own = await send(OWNER, { Action: 'Balance' })
    expect(own.Messages).toEqual([
      {
        Target: OWNER,
        Data: '123456789012345678901234567890',
        Anchor: anchor(1),
        Tags: [
          { name: 'Action', value: 'Balance-Response' },
          { name: 'Balance', value: '123456789012345678901234567890' },
          { name: 'Ticker', value: 'HTT' },
          { name: 'Account', value: OWNER },
        ],
      },
    ])
    expect(pairs((await send(ALICE, { Action: 'Balance', Target: OWNER, Recipient: BOB })).Messages[0]?.Tags)[3]).toEqual(['Account', OWNER])
    const bob = await send(ALICE, { Action: 'Balance', Recipient: BOB })
    expect(bob.Messages[0]?.Data).toBe('0')
    expect(bob.Messages[0]?.Anchor).toBe(anchor(3))
  })

  it('Transfer: Debit-Notice then Credit-Notice with X- tags; balances move with big numbers', async () => {
    const { send } = await token([{ name: 'Initial-Supply', value: '100000000000000000000000000001' }])
    const result = await send(OWNER, { Action: 'Transfer', 'X-First': '1', Recipient: ALICE, Quantity: '99999999999999999999', Other: 'no', 'X-Second': 'two' })
    expect(result.Error).toBeUndefined()
    expect(result.Output).toBe('')
    expect(result.Messages).toEqual([
      {
        Target: OWNER,
        Data: `You transferred 99999999999999999999 to ${ALICE}`,
        Anchor: anchor(1),
        Tags: [
          { name: 'Action', value: 'Debit-Notice' },
          { name: 'Recipient', value: ALICE },
          { name: 'Quantity', value: '99999999999999999999' },
          { name: 'X-First', value: '1' },
          { name: 'X-Second', value: 'two' },
        ],
      },
      {
        Target: ALICE,
        Data: `You received 99999999999999999999 from ${OWNER}`,
        Anchor: anchor(2),
        Tags: [
          { name: 'Action', value: 'Credit-Notice' },
          { name: 'Sender', value: OWNER },
          { name: 'Quantity', value: '99999999999999999999' },
          { name: 'X-First', value: '1' },
          { name: 'X-Second', value: 'two' },
        ],
      },
    ])
    expect((await send(ALICE, { Action: 'Balance' })).Messages[0]?.Data).toBe('99999999999999999999')
    expect((await send(ALICE, { Action: 'Balance', Target: OWNER })).Messages[0]?.Data).toBe('99999999900000000000000000002')
    const balances = await send(BOB, { Action: 'Balances' })
    expect(JSON.parse(balances.Messages[0]?.Data ?? '')).toEqual({ [OWNER]: '99999999900000000000000000002', [ALICE]: '99999999999999999999' })
  })

  it('Transfer errors: Insufficient Balance!, Invalid Quantity, missing Recipient (after the debit)', async () => {
    const { send } = await token([{ name: 'Initial-Supply', value: '1000' }])
    const poor = await send(ALICE, { Action: 'Transfer', Recipient: BOB, Quantity: '1' })
    expect(poor.Error).toBeUndefined()
    expect(poor.Messages).toEqual([
      {
        Target: ALICE,
        Data: '',
        Anchor: anchor(1),
        Tags: [
          { name: 'Action', value: 'Transfer-Error' },
          { name: 'Message-Id', value: 'message-00000001' },
          { name: 'Error', value: 'Insufficient Balance!' },
        ],
      },
    ])
    const zero = await send(OWNER, { Action: 'Transfer', Recipient: BOB, Quantity: '000' })
    expect(pairs(zero.Messages[0]?.Tags)).toContainEqual(['Error', 'Invalid Quantity'])

    const noRecipient = await send(OWNER, { Action: 'Transfer', Quantity: '400' })
    expect(noRecipient.Error).toBe('Transfer: Recipient is required')
    expect(noRecipient.Messages).toEqual([])
    // the module debited before raising; only an evaluator's rollback undoes it
    expect((await send(OWNER, { Action: 'Balance' })).Messages[0]?.Data).toBe('600')
  })

  it('Mint: only the owner; Total-Supply follows Mint and Burn', async () => {
    const { send } = await token([{ name: 'Initial-Supply', value: '1000' }])
    const denied = await send(ALICE, { Action: 'Mint', Quantity: '5' })
    expect(denied.Messages).toEqual([
      { Target: ALICE, Data: '', Anchor: anchor(1), Tags: [{ name: 'Action', value: 'Mint-Error' }, { name: 'Error', value: 'Only the owner can mint' }] },
    ])
    const minted = await send(OWNER, { Action: 'Mint', Quantity: '9000' })
    expect(pairs(minted.Messages[0]?.Tags)).toEqual([['Action', 'Mint-Notice'], ['Quantity', '9000']])
    const supply = await send(ALICE, { Action: 'Total-Supply' })
    expect(supply.Messages).toEqual([
      { Target: ALICE, Data: '10000', Anchor: anchor(3), Tags: [{ name: 'Action', value: 'Total-Supply-Response' }, { name: 'Total-Supply', value: '10000' }] },
    ])
    const burnt = await send(OWNER, { Action: 'Burn', Quantity: '2500' })
    expect(pairs(burnt.Messages[0]?.Tags)).toEqual([['Action', 'Burn-Notice'], ['Quantity', '2500']])
    const tooMuch = await send(ALICE, { Action: 'Burn', Quantity: '1' })
    expect(pairs(tooMuch.Messages[0]?.Tags)).toEqual([['Action', 'Burn-Error'], ['Error', 'Insufficient Balance!']])
    expect((await send(ALICE, { Action: 'Total-Supply' })).Messages[0]?.Data).toBe('7500')
    expect((await send(OWNER, { Action: 'Balance' })).Messages[0]?.Data).toBe('7500')
  })

  it('Fail raises after poisoning; Grow and unknown actions report in Output', async () => {
    const { send } = await token()
    const failed = await send(ALICE, { Action: 'Fail' })
    expect(failed.Error).toBe('Fail: requested')
    expect(pairs((await send(ALICE, { Action: 'Info' })).Messages[0]?.Tags)).toContainEqual(['Poisoned', 'true'])
    expect((await send(ALICE, { Action: 'Grow', Bytes: '1000' })).Output).toBe('grew 1000')
    expect((await send(ALICE, { Action: 'Dance' })).Output).toBe('no handler for Dance')
  })

  it('Trap makes handle reject', async () => {
    const { handle, env, memory } = await token()
    const log = console.log
    try {
      // the same message without the Trap action evaluates normally
      await expect(handle(memory(), message(98, ALICE, { Action: 'Info' }), env)).resolves.toMatchObject({ Output: '' })
      await expect(handle(memory(), message(99, ALICE, { Action: 'Trap' }), env)).rejects.toThrow(/abort/i)
    } finally {
      console.log = log // ao-loader leaves console.log muted after a rejected call
    }
  })

  it('Memory-Ballast: 32 gives more than 32 MiB of memory; Grow adds more', async () => {
    const plain = await token()
    expect(plain.init.Memory.byteLength).toBeLessThan(32 * MIB)
    const heavy = await token([{ name: 'Memory-Ballast', value: '32' }])
    expect(heavy.init.Memory.byteLength).toBeGreaterThan(32 * MIB)
    const grown = await heavy.send(ALICE, { Action: 'Grow', Bytes: String(16 * MIB) })
    expect(grown.Memory.byteLength).toBeGreaterThan(48 * MIB)
    // the module keeps working on top of the ballast
    expect((await heavy.send(OWNER, { Action: 'Balance' })).Messages[0]?.Data).toBe('1000000000000000')
  })

  it('agrees with the AssemblyScript twin on a generated log with failures, message by message', async () => {
    const log = generateTokenLog({ count: 200, seed: 7, moduleTags: meta.tags })
    const env: AoEnv = { Process: log.process, Module: log.module }
    const lua = await createEvaluator(readFileSync(`${buildDir}${name}.wasm`), moduleOptionsFromTags(meta.tags))
    const asTags = JSON.parse(readFileSync(`${buildDir}as-token.json`, 'utf8')).tags as Tag[]
    const as = await createEvaluator(readFileSync(`${buildDir}as-token.wasm`), moduleOptionsFromTags(asTags))
    // Balances' Data is a JSON object whose key order may differ between the twins, and each
    // language words its errors its own way: compare that there is one.
    const comparable = (r: { Output: unknown; Messages: unknown[]; Error?: unknown }) => ({
      Output: r.Output,
      Error: r.Error === undefined ? undefined : 'an error',
      Messages: (r.Messages as Array<{ Data: string; Tags: Tag[] }>).map((m) =>
        m.Tags.some((t) => t.name === 'Action' && t.value === 'Balances-Response') ? { ...m, Data: JSON.parse(m.Data) } : m,
      ),
    })
    let notices = 0
    let errors = 0
    for (const msg of log.messages) {
      const fromLua = await lua.evaluate(msg, env)
      const fromAs = await as.evaluate(msg, env)
      expect(comparable(fromLua), `message ${msg.Nonce}`).toEqual(comparable(fromAs))
      notices += fromLua.Messages.filter((m) => (m.Tags as Tag[]).some((t) => t.value === 'Credit-Notice')).length
      if (fromLua.Error !== undefined) errors++
    }
    expect(notices).toBeGreaterThan(50)
    expect(errors).toBeGreaterThan(3)
  })
})
