import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { beforeAll, describe, expect, test } from 'vitest'
import { buildAoMessage } from '../../src/core/message/toAoMessage.ts'
import type { AoEnv, AoMessage, EvalResult, Tag } from '../../src/core/message/types.ts'
import { createAssemblyScriptEngine, prepareAssemblyScriptModule } from '../../src/eval/assemblyscript/createAssemblyScriptEngine.ts'
import type { Engine } from '../../src/eval/types.ts'
import { asTokenOptions, asTokenWasm, OWNER, PROCESS_ID, spawnMessage, tokenEnv, tokenMessage } from './tokenFixture.ts'

const ALICE = 'alice-wallet-000000000000000000000000000000'
const BOB = 'bob-wallet-00000000000000000000000000000000'
const anchor = (n: number): string => String(n).padStart(32, '0')
const tags = (result: EvalResult, i = 0): Array<[string, string]> =>
  ((result.Messages[i]?.Tags ?? []) as Array<{ name: string; value: string }>).map((t) => [t.name, t.value])

let wasm: WebAssembly.Module
beforeAll(async () => {
  wasm = await prepareAssemblyScriptModule(asTokenWasm())
})

type Send = (from: string, t: Record<string, string>, data?: string) => Promise<EvalResult>

/** A token engine, initialised with `processTags`; `send` numbers messages from 1. */
async function token(env: AoEnv = tokenEnv()): Promise<{ engine: Engine; init: EvalResult; send: Send }> {
  const engine = await createAssemblyScriptEngine(wasm, asTokenOptions())
  const init = await engine.handle({ ...spawnMessage(), Id: env.Process.Id, Target: env.Process.Id }, env)
  let nonce = 0
  return { engine, init, send: (from, t, data = '') => engine.handle(tokenMessage(++nonce, from, t, data), env) }
}

/** An outbox message of process `from`, as the scheduler would deliver it to its Target. */
function delivered(out: EvalResult['Messages'][number], from: string, id: string): AoMessage {
  const m = out as { Target: string; Data: string; Tags: Tag[] }
  return buildAoMessage({ Id: id, Data: m.Data, Owner: from, Target: m.Target, From: from, Tags: m.Tags, Timestamp: 1_700_000_500_000, 'Block-Height': 1_500_500, Cron: false })
}

describe('as-token', () => {
  test('initialises from the process tags, with defaults', async () => {
    const plain = await token()
    expect(plain.init).toEqual({ Output: 'Token Holoscope Test Token initialised', Messages: [], Spawns: [], Assignments: [] })
    expect(tags(await plain.send(ALICE, { Action: 'Info' }))).toEqual([
      ['Action', 'Info-Response'],
      ['Name', 'Holoscope Test Token'],
      ['Ticker', 'HTT'],
      ['Denomination', '12'],
      ['Total-Supply', '1000000000000000'],
      ['Pings', '0'],
      ['Pongs', '0'],
    ])

    const custom = await token(
      tokenEnv([
        { name: 'Name', value: 'Custom' },
        { name: 'Ticker', value: 'CUS' },
        { name: 'Denomination', value: '3' },
        { name: 'Initial-Supply', value: '500' },
      ]),
    )
    expect(custom.init.Output).toBe('Token Custom initialised')
    const supply = await custom.send(ALICE, { Action: 'Total-Supply' })
    expect(supply.Messages).toEqual([
      { Target: ALICE, Data: '500', Anchor: anchor(1), Tags: [{ name: 'Action', value: 'Total-Supply-Response' }, { name: 'Total-Supply', value: '500' }] },
    ])
  })

  test('Balance: Target, else Recipient, else From; unknown accounts have 0', async () => {
    const { send } = await token()
    const own = await send(OWNER, { Action: 'Balance' })
    expect(own.Messages[0]).toEqual({
      Target: OWNER,
      Data: '1000000000000000',
      Anchor: anchor(1),
      Tags: [
        { name: 'Action', value: 'Balance-Response' },
        { name: 'Balance', value: '1000000000000000' },
        { name: 'Ticker', value: 'HTT' },
        { name: 'Account', value: OWNER },
      ],
    })
    expect(tags(await send(ALICE, { Action: 'Balance', Target: OWNER, Recipient: BOB }))[3]).toEqual(['Account', OWNER])
    expect(tags(await send(ALICE, { Action: 'Balance', Recipient: BOB }))).toContainEqual(['Balance', '0'])
    const alice = await send(ALICE, { Action: 'Balance' })
    expect(alice.Messages[0]?.Target).toBe(ALICE)
    expect(alice.Messages[0]?.Data).toBe('0')
  })

  test('Transfer: Debit-Notice then Credit-Notice, X- tags appended in order, anchors counting up', async () => {
    const { send } = await token()
    const result = await send(OWNER, { Action: 'Transfer', 'X-First': '1', Recipient: ALICE, Quantity: '250', Other: 'no', 'X-Second': 'two' })
    expect(result.Output).toBe('')
    expect(result.Error).toBeUndefined()
    expect(result.Messages).toEqual([
      {
        Target: OWNER,
        Data: `You transferred 250 to ${ALICE}`,
        Anchor: anchor(1),
        Tags: [
          { name: 'Action', value: 'Debit-Notice' },
          { name: 'Recipient', value: ALICE },
          { name: 'Quantity', value: '250' },
          { name: 'X-First', value: '1' },
          { name: 'X-Second', value: 'two' },
        ],
      },
      {
        Target: ALICE,
        Data: `You received 250 from ${OWNER}`,
        Anchor: anchor(2),
        Tags: [
          { name: 'Action', value: 'Credit-Notice' },
          { name: 'Sender', value: OWNER },
          { name: 'Quantity', value: '250' },
          { name: 'X-First', value: '1' },
          { name: 'X-Second', value: 'two' },
        ],
      },
    ])
    expect((await send(ALICE, { Action: 'Balance' })).Messages[0]?.Data).toBe('250')
    expect((await send(OWNER, { Action: 'Balance' })).Messages[0]?.Data).toBe('999999999999750')
    const balances = await send(BOB, { Action: 'Balances' })
    expect(tags(balances)).toEqual([['Action', 'Balances-Response']])
    expect(JSON.parse(balances.Messages[0]?.Data as string)).toEqual({ [OWNER]: '999999999999750', [ALICE]: '250' })
    expect(balances.Messages[0]?.Anchor).toBe(anchor(5))
  })

  test('Transfer-Error for an invalid quantity or an insufficient balance, without debiting', async () => {
    const { send } = await token()
    for (const quantity of ['0', '000', '-5', '1.5', '', 'abc']) {
      const result = await send(OWNER, { Action: 'Transfer', Recipient: ALICE, Quantity: quantity })
      expect(tags(result)).toEqual([
        ['Action', 'Transfer-Error'],
        ['Message-Id', expect.stringMatching(/^message-0000000\d$/)],
        ['Error', 'Invalid Quantity'],
      ])
    }
    const poor = await send(ALICE, { Action: 'Transfer', Recipient: BOB, Quantity: '1' })
    expect(poor.Messages).toEqual([
      {
        Target: ALICE,
        Data: '',
        Anchor: anchor(7),
        Tags: [
          { name: 'Action', value: 'Transfer-Error' },
          { name: 'Message-Id', value: 'message-00000007' },
          { name: 'Error', value: 'Insufficient Balance!' },
        ],
      },
    ])
    expect((await send(OWNER, { Action: 'Transfer', Recipient: ALICE, Quantity: '1000000000000001' })).Messages[0]?.Tags).toContainEqual({
      name: 'Error',
      value: 'Insufficient Balance!',
    })
    expect((await send(OWNER, { Action: 'Balance' })).Messages[0]?.Data).toBe('1000000000000000')
  })

  test('Transfer without Recipient: Error after the debit (visible when nothing rolls back)', async () => {
    const { send } = await token()
    const result = await send(OWNER, { Action: 'Transfer', Quantity: '100' })
    expect(result).toEqual({ Output: '', Messages: [], Spawns: [], Assignments: [], Error: 'Transfer: Recipient is required' })
    expect((await send(OWNER, { Action: 'Balance' })).Messages[0]?.Data).toBe('999999999999900')
  })

  test('Mint: only the owner; adds to the owner and the total, with arbitrary precision', async () => {
    const { send } = await token()
    const refused = await send(ALICE, { Action: 'Mint', Quantity: '5' })
    expect(refused.Messages).toEqual([
      { Target: ALICE, Data: '', Anchor: anchor(1), Tags: [{ name: 'Action', value: 'Mint-Error' }, { name: 'Error', value: 'Only the owner can mint' }] },
    ])
    const big = '99999999999999999999999999999999999999'
    const minted = await send(OWNER, { Action: 'Mint', Quantity: big })
    expect(tags(minted)).toEqual([
      ['Action', 'Mint-Notice'],
      ['Quantity', big],
    ])
    const total = String(BigInt(big) + 10n ** 15n)
    expect(tags(await send(ALICE, { Action: 'Total-Supply' }))[1]).toEqual(['Total-Supply', total])
    expect((await send(OWNER, { Action: 'Balance' })).Messages[0]?.Data).toBe(total)
    expect(tags(await send(OWNER, { Action: 'Mint', Quantity: '0' }))).toContainEqual(['Action', 'Mint-Error'])
  })

  test('Burn: subtracts from the sender and the total; Burn-Error beyond the balance', async () => {
    const { send } = await token()
    expect(tags(await send(OWNER, { Action: 'Burn', Quantity: '1000000000000000' }))).toEqual([
      ['Action', 'Burn-Notice'],
      ['Quantity', '1000000000000000'],
    ])
    expect((await send(OWNER, { Action: 'Balance' })).Messages[0]?.Data).toBe('0')
    expect((await send(OWNER, { Action: 'Total-Supply' })).Messages[0]?.Data).toBe('0')
    expect(tags(await send(OWNER, { Action: 'Burn', Quantity: '1' }))).toEqual([
      ['Action', 'Burn-Error'],
      ['Error', 'Insufficient Balance!'],
    ])
  })

  test('Fail raises an Error and poisons the state, which Info then reports', async () => {
    const { send } = await token()
    expect(await send(ALICE, { Action: 'Fail' })).toEqual({ Output: '', Messages: [], Spawns: [], Assignments: [], Error: 'Fail: requested' })
    expect(tags(await send(ALICE, { Action: 'Info' }))).toContainEqual(['Poisoned', 'true'])
    // Poisoned comes last, after the ping counters
    const ping = await send(BOB, { Action: 'Ping' })
    expect(ping.Error).toBeUndefined()
    expect(tags(await send(ALICE, { Action: 'Info' })).slice(-3)).toEqual([
      ['Pings', '1'],
      ['Pongs', '0'],
      ['Poisoned', 'true'],
    ])
  })

  test('Send-Ping: a Ping to To carrying the message Id and Data; To is required', async () => {
    const { send } = await token()
    const sent = await send(ALICE, { Action: 'Send-Ping', To: BOB, Extra: 'x' }, 'hello')
    expect(sent).toEqual({
      Output: '',
      Messages: [{ Target: BOB, Data: 'hello', Anchor: anchor(1), Tags: [{ name: 'Action', value: 'Ping' }, { name: 'Ping-Id', value: 'message-00000001' }] }],
      Spawns: [],
      Assignments: [],
    })
    expect(await send(ALICE, { Action: 'Send-Ping' }, 'lost')).toEqual({ Output: '', Messages: [], Spawns: [], Assignments: [], Error: 'Send-Ping: To is required' })
    const noData = await send(OWNER, { Action: 'Send-Ping', To: ALICE })
    expect(noData.Messages[0]).toMatchObject({ Target: ALICE, Data: '', Anchor: anchor(2) })
    expect(tags(noData)[1]).toEqual(['Ping-Id', 'message-00000003'])
    // sending pings counts neither as a ping nor as a pong received
    expect(tags(await send(ALICE, { Action: 'Info' })).slice(5)).toEqual([
      ['Pings', '0'],
      ['Pongs', '0'],
    ])
  })

  test('Ping: a Pong to From with the Ping-Id tag (else the message Id) and Data; counted by Info', async () => {
    const { engine, send } = await token()
    const ping = await send(ALICE, { Action: 'Ping', 'Ping-Id': 'ping-42' }, 'payload')
    expect(ping).toEqual({
      Output: '',
      Messages: [{ Target: ALICE, Data: 'payload', Anchor: anchor(1), Tags: [{ name: 'Action', value: 'Pong' }, { name: 'Ping-Id', value: 'ping-42' }] }],
      Spawns: [],
      Assignments: [],
    })
    expect((await send(BOB, { Action: 'Ping' })).Messages).toEqual([
      { Target: BOB, Data: '', Anchor: anchor(2), Tags: [{ name: 'Action', value: 'Pong' }, { name: 'Ping-Id', value: 'message-00000002' }] },
    ])
    // a message whose Data is null answers with Data ""
    const nullData = await engine.handle({ ...tokenMessage(3, BOB, { Action: 'Ping' }), Data: null }, tokenEnv())
    expect(nullData.Messages[0]).toMatchObject({ Target: BOB, Data: '', Anchor: anchor(3) })
    expect(tags(await send(ALICE, { Action: 'Info' })).slice(5)).toEqual([
      ['Pings', '3'],
      ['Pongs', '0'],
    ])
  })

  test('Pong: counted, Output names the Ping-Id, no outbox', async () => {
    const { send } = await token()
    expect(await send(ALICE, { Action: 'Pong', 'Ping-Id': 'ping-7' }, 'ignored')).toEqual({ Output: 'pong ping-7', Messages: [], Spawns: [], Assignments: [] })
    expect((await send(ALICE, { Action: 'Pong' })).Output).toBe('pong ')
    const info = await send(ALICE, { Action: 'Info' })
    expect(info.Messages[0]?.Anchor).toBe(anchor(1))
    expect(tags(info).slice(5)).toEqual([
      ['Pings', '0'],
      ['Pongs', '2'],
    ])
  })

  test('two token processes exchange Ping and Pong', async () => {
    const other = 'other-token-process-000000000000000000000000'
    const a = await token()
    const b = await token({ ...tokenEnv(), Process: { ...tokenEnv().Process, Id: other } })
    expect(b.init.Output).toBe('Token Holoscope Test Token initialised')
    const sent = await a.send(ALICE, { Action: 'Send-Ping', To: other }, 'over')
    expect(sent.Messages[0]?.Target).toBe(other)
    const answered = await b.engine.handle(delivered(sent.Messages[0]!, PROCESS_ID, 'ping-on-b'), { ...tokenEnv(), Process: { ...tokenEnv().Process, Id: other } })
    expect(answered.Messages).toEqual([
      { Target: PROCESS_ID, Data: 'over', Anchor: anchor(1), Tags: [{ name: 'Action', value: 'Pong' }, { name: 'Ping-Id', value: 'message-00000001' }] },
    ])
    const back = await a.engine.handle(delivered(answered.Messages[0]!, other, 'pong-on-a'), tokenEnv())
    expect(back).toEqual({ Output: 'pong message-00000001', Messages: [], Spawns: [], Assignments: [] })
    expect(tags(await a.send(BOB, { Action: 'Info' })).slice(5)).toEqual([['Pings', '0'], ['Pongs', '1']])
    expect(tags(await b.send(BOB, { Action: 'Info' })).slice(5)).toEqual([['Pings', '1'], ['Pongs', '0']])
  })

  test('Trap rejects; unknown actions are answered in Output', async () => {
    const { send } = await token()
    expect((await send(ALICE, { Action: 'Dance' })).Output).toBe('no handler for Dance')
    await expect(send(ALICE, { Action: 'Trap' })).rejects.toThrow(/trapped: unreachable/)
  })

  test('Grow and Memory-Ballast keep deterministic data alive in memory', async () => {
    const { engine, send } = await token()
    const before = engine.memory().byteLength
    expect((await send(ALICE, { Action: 'Grow', Bytes: '3000000' })).Output).toBe('grew 3000000')
    expect(engine.memory().byteLength).toBeGreaterThanOrEqual(before + 3_000_000)

    const ballasted = await token(tokenEnv([{ name: 'Memory-Ballast', value: '5' }]))
    expect(ballasted.engine.memory().byteLength).toBeGreaterThan(5 * 1024 * 1024)
    const again = await token(tokenEnv([{ name: 'Memory-Ballast', value: '5' }]))
    expect(bytesToHex(sha256(again.engine.memory()))).toBe(bytesToHex(sha256(ballasted.engine.memory())))
  })
})
