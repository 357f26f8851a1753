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

  function message(nonce: number, from: string, tags: Record<string, string>, data: string | null = ''): AoMessage {
    return buildAoMessage({
      Id: nonce === 0 ? PROCESS_ID : `message-${String(nonce).padStart(8, '0')}`,
      Signature: `signature-${nonce}`,
      Data: data,
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
    const send = async (from: string, tags: Record<string, string>, data: string | null = ''): Promise<Result> => {
      const result = await handle(memory, message(++nonce, from, tags, data), env)
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
      ['Pings', '0'],
      ['Pongs', '0'],
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
          { name: 'Pings', value: '0' },
          { name: 'Pongs', value: '0' },
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
    // Poisoned comes last, after the ping counters
    expect((await send(BOB, { Action: 'Ping' })).Error).toBeUndefined()
    expect(pairs((await send(ALICE, { Action: 'Info' })).Messages[0]?.Tags).slice(-3)).toEqual([
      ['Pings', '1'],
      ['Pongs', '0'],
      ['Poisoned', 'true'],
    ])
    expect((await send(ALICE, { Action: 'Grow', Bytes: '1000' })).Output).toBe('grew 1000')
    expect((await send(ALICE, { Action: 'Dance' })).Output).toBe('no handler for Dance')
  })

  it('Send-Ping: a Ping to To carrying the message Id and Data; To is required', async () => {
    const { send } = await token()
    const sent = await send(ALICE, { Action: 'Send-Ping', To: BOB, Extra: 'x' }, 'hello')
    expect(sent.Error).toBeUndefined()
    expect(sent.Output).toBe('')
    expect(sent.Messages).toEqual([
      { Target: BOB, Data: 'hello', Anchor: anchor(1), Tags: [{ name: 'Action', value: 'Ping' }, { name: 'Ping-Id', value: 'message-00000001' }] },
    ])
    const missing = await send(ALICE, { Action: 'Send-Ping' }, 'lost')
    expect(missing.Error).toBe('Send-Ping: To is required')
    expect(missing.Messages).toEqual([])
    const nullData = await send(OWNER, { Action: 'Send-Ping', To: ALICE }, null)
    expect(nullData.Messages).toEqual([
      { Target: ALICE, Data: '', Anchor: anchor(2), Tags: [{ name: 'Action', value: 'Ping' }, { name: 'Ping-Id', value: 'message-00000003' }] },
    ])
    // sending pings counts neither as a ping nor as a pong received
    expect(pairs((await send(ALICE, { Action: 'Info' })).Messages[0]?.Tags).slice(5)).toEqual([
      ['Pings', '0'],
      ['Pongs', '0'],
    ])
  })

  it('Ping: a Pong to From with the Ping-Id tag (else the message Id) and Data; Pong: counted, Output names the Ping-Id', async () => {
    const { send } = await token()
    const ping = await send(ALICE, { Action: 'Ping', 'Ping-Id': 'ping-42' }, 'payload')
    expect(ping.Error).toBeUndefined()
    expect(ping.Output).toBe('')
    expect(ping.Messages).toEqual([
      { Target: ALICE, Data: 'payload', Anchor: anchor(1), Tags: [{ name: 'Action', value: 'Pong' }, { name: 'Ping-Id', value: 'ping-42' }] },
    ])
    expect((await send(BOB, { Action: 'Ping' }, null)).Messages).toEqual([
      { Target: BOB, Data: '', Anchor: anchor(2), Tags: [{ name: 'Action', value: 'Pong' }, { name: 'Ping-Id', value: 'message-00000002' }] },
    ])
    const pong = await send(ALICE, { Action: 'Pong', 'Ping-Id': 'ping-7' }, 'ignored')
    expect(pong.Output).toBe('pong ping-7')
    expect(pong.Messages).toEqual([])
    expect(pong.Error).toBeUndefined()
    expect((await send(ALICE, { Action: 'Pong' })).Output).toBe('pong ')
    const info = await send(ALICE, { Action: 'Info' })
    expect(info.Messages[0]?.Anchor).toBe(anchor(3))
    expect(pairs(info.Messages[0]?.Tags).slice(5)).toEqual([
      ['Pings', '2'],
      ['Pongs', '2'],
    ])
  })

  it('exchanges Ping and Pong with the AssemblyScript twin, both ways', async () => {
    const asTags = JSON.parse(readFileSync(`${buildDir}as-token.json`, 'utf8')).tags as Tag[]
    const processes = {
      lua: { id: PROCESS_ID, evaluator: await createEvaluator(readFileSync(`${buildDir}${name}.wasm`), moduleOptionsFromTags(meta.tags)), tags: meta.tags },
      as: { id: 'as-twin-process-0000000000000000000000000000', evaluator: await createEvaluator(readFileSync(`${buildDir}as-token.wasm`), moduleOptionsFromTags(asTags)), tags: asTags },
    }
    type Side = (typeof processes)['lua']
    const envOf = (p: Side): AoEnv => ({
      Process: { Id: p.id, Owner: OWNER, Tags: [{ name: 'Data-Protocol', value: 'ao' }, { name: 'Type', value: 'Process' }] },
      Module: { Id: 'module', Owner: OWNER, Tags: p.tags },
    })
    let nonce = 0
    const deliver = (p: Side, from: string, tags: Tag[], data: string, id = `exchange-${++nonce}`) =>
      p.evaluator.evaluate(
        buildAoMessage({ Id: id, Data: data, Owner: from, Target: p.id, From: from, Tags: tags, Nonce: nonce, Timestamp: 1_700_000_000_000 + nonce, 'Block-Height': 1_500_000, Cron: false }),
        envOf(p),
      )
    for (const p of [processes.lua, processes.as]) {
      expect((await deliver(p, OWNER, [{ name: 'Type', value: 'Process' }], '', p.id)).Output).toBe('Token Holoscope Test Token initialised')
    }
    for (const [a, b] of [[processes.lua, processes.as], [processes.as, processes.lua]] as const) {
      const sent = await deliver(a, ALICE, [{ name: 'Action', value: 'Send-Ping' }, { name: 'To', value: b.id }], `from ${a.id}`)
      const pingId = `exchange-${nonce}`
      const [ping] = sent.Messages as Array<{ Target: string; Data: string; Tags: Tag[] }>
      expect(ping).toMatchObject({ Target: b.id, Data: `from ${a.id}` })
      expect(pairs(ping!.Tags)).toEqual([['Action', 'Ping'], ['Ping-Id', pingId]])
      const answered = await deliver(b, a.id, ping!.Tags, ping!.Data)
      const [pong] = answered.Messages as Array<{ Target: string; Data: string; Tags: Tag[] }>
      expect(pong).toMatchObject({ Target: a.id, Data: `from ${a.id}` })
      expect(pairs(pong!.Tags)).toEqual([['Action', 'Pong'], ['Ping-Id', pingId]])
      const back = await deliver(a, b.id, pong!.Tags, pong!.Data)
      expect(back.Output).toBe(`pong ${pingId}`)
      expect(back.Messages).toEqual([])
    }
    for (const p of [processes.lua, processes.as]) {
      const info = await deliver(p, BOB, [{ name: 'Action', value: 'Info' }], '')
      // each sent one Ping and one Pong, and got one of each: Anchor 3 is its third message
      expect(info.Messages[0]).toMatchObject({ Target: BOB, Anchor: anchor(3) })
      expect(pairs((info.Messages[0] as { Tags: Tag[] }).Tags).slice(5)).toEqual([['Pings', '1'], ['Pongs', '1']])
    }
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

  it.each([false, true])('agrees with the AssemblyScript twin on a generated log with failures (pings: %s), message by message', async (pings) => {
    const log = generateTokenLog({ count: 200, seed: 7, moduleTags: meta.tags, pings })
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
    const replies: Record<string, number> = { Ping: 0, Pong: 0, pong: 0 }
    for (const msg of log.messages) {
      const fromLua = await lua.evaluate(msg, env)
      const fromAs = await as.evaluate(msg, env)
      expect(comparable(fromLua), `message ${msg.Nonce}`).toEqual(comparable(fromAs))
      notices += fromLua.Messages.filter((m) => (m.Tags as Tag[]).some((t) => t.value === 'Credit-Notice')).length
      if (fromLua.Error !== undefined) errors++
      for (const m of fromLua.Messages) {
        const act = (m.Tags as Tag[]).find((t) => t.name === 'Action')?.value ?? ''
        if (act in replies) replies[act]!++
      }
      if (String(fromLua.Output).startsWith('pong ')) replies.pong!++
    }
    expect(notices).toBeGreaterThan(50)
    expect(errors).toBeGreaterThan(3)
    if (pings) {
      expect(replies.Ping).toBeGreaterThan(2)
      expect(replies.Pong).toBeGreaterThan(2)
      expect(replies.pong).toBeGreaterThan(0)
    } else expect(replies).toEqual({ Ping: 0, Pong: 0, pong: 0 })
    // the Info query after the log reports the counts on both sides alike
    const info = { ...log.messages[log.messages.length - 1]!, Id: 'final-info', Nonce: log.messages.length, Tags: [{ name: 'Action', value: 'Info' }] }
    const [luaInfo, asInfo] = [await lua.evaluate(info, env), await as.evaluate(info, env)]
    expect(comparable(luaInfo)).toEqual(comparable(asInfo))
    expect(pairs((luaInfo.Messages[0] as { Tags: Tag[] }).Tags).slice(5, 7)).toEqual([
      ['Pings', String(log.messages.filter((m) => m.Tags.some((t) => t.name === 'Action' && t.value === 'Ping')).length)],
      ['Pongs', String(log.messages.filter((m) => m.Tags.some((t) => t.name === 'Action' && t.value === 'Pong')).length)],
    ])
  })
})
