import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployModules } from './seed.ts'
import { offlineFetch, startTestDevnet } from './testing.ts'
import type { Devnet } from './startDevnet.ts'

// Unmodified @permaweb/aoconnect against the devnet: spawn, message, result, results, dryrun.
describe('aoconnect against devnet', () => {
  let devnet: Devnet
  let offline: ReturnType<typeof offlineFetch>
  let moduleId: string

  beforeAll(async () => {
    offline = offlineFetch()
    devnet = await startTestDevnet()
    const [module] = await deployModules(
      { gateway: devnet.gateway, muUrl: devnet.ready.mu, muIdle: () => devnet.mu.idle(), scheduler: devnet.ready.scheduler, deployer: devnet.wallets['deployer']!, users: [] },
      ['lua-token'],
    )
    moduleId = module!.id
  })

  afterAll(async () => {
    offline.restore()
    await devnet?.stop()
  })

  it('spawns a process from a module on the gateway, sends it messages and reads result, results and dryrun', async () => {
    // aoconnect's own scheduler lookup (used for message's returnAssignmentSlot) does not take
    // GATEWAY_URL: its GraphQL endpoint is read from the environment when the module loads.
    process.env['GRAPHQL_URL'] = `${devnet.ready.gateway}/graphql`
    const { connect, createDataItemSigner } = await import('@permaweb/aoconnect')
    const ao = connect({ MODE: 'legacy', MU_URL: devnet.ready.mu, CU_URL: devnet.ready.cus[0]!.url, GATEWAY_URL: devnet.ready.gateway })
    const owner = devnet.wallets['deployer']!
    const recipient = devnet.wallets['user-0']!.address
    const signer = createDataItemSigner(owner.jwk)

    const processId = await ao.spawn({ module: moduleId, scheduler: devnet.ready.scheduler, signer, tags: [{ name: 'Name', value: 'aoconnect test token' }] })
    expect(processId).toMatch(/^[A-Za-z0-9_-]{43}$/)

    // Asking for the nonce makes aoconnect locate the process's SU, as on mainnet.
    const sent = (await ao.message({
      process: processId,
      signer,
      tags: [
        { name: 'Action', value: 'Transfer' },
        { name: 'Recipient', value: recipient },
        { name: 'Quantity', value: '1234' },
      ],
      returnAssignmentSlot: true,
      returnMessageId: true,
    })) as unknown as { slot: string; id: string }
    expect(sent.slot).toBe('1')
    const transfer = sent.id
    const result = await ao.result({ process: processId, message: transfer })
    const actions = (result.Messages as { Target: string; Tags: { name: string; value: string }[] }[]).map((m) => [m.Target, m.Tags.find((t) => t.name === 'Action')?.value])
    expect(actions).toEqual([
      [owner.address, 'Debit-Notice'],
      [recipient, 'Credit-Notice'],
    ])

    const broken = (await ao.message({ process: processId, signer, tags: [{ name: 'Action', value: 'Transfer' }, { name: 'Quantity', value: '5' }] })) as string
    const failed = await ao.result({ process: processId, message: broken })
    expect(String(failed.Error)).toContain('Recipient is required')

    const page = await ao.results({ process: processId, sort: 'ASC', limit: 25 })
    // The spawn and the transfer; the errored message is left out, as the CU does.
    expect(page.edges.map((e: { node: { Output: unknown } }) => e.node.Output)).toEqual(['Token aoconnect test token initialised', ''])

    const balance = await ao.dryrun({ process: processId, tags: [{ name: 'Action', value: 'Balance' }, { name: 'Target', value: recipient }] })
    expect(balance.Messages[0].Data).toBe('1234')

    // The SU lookup asked the public router first (refused: offline), then found the SU through
    // the process's Scheduler tag and the gateway's Scheduler-Location record.
    expect(offline.refused.some((host) => host.startsWith('su-router'))).toBe(true)
  })
})
