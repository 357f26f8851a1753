import { generateAosTokenLog } from '../../processes/aosTokenLog.ts'
import type { Fixture } from '../../processes/loadFixture.ts'
import type { LocalLog } from '../../processes/tokenLog.ts'
import type { AoMessage } from '../../src/core/message/types.ts'

/**
 * The replay benchmark's aos workload: the aos token log (the Eval that loads the token, then
 * transfers, queries, mints, burns and Evals) without the messages that fail (Fail, failing
 * Evals, transfers without a recipient, mints by others than the owner, burns by others, who
 * may lack the balance), renumbered: the baselines without rollback must compute the same state.
 *
 * @param count messages after the process message
 */
export function aosWorkloadLog(fixture: Pick<Fixture, 'tags'>, count: number): LocalLog {
  const log = generateAosTokenLog({ moduleTags: fixture.tags, count: Math.ceil(count * 1.3) + 20, seed: 1 })
  const owner = log.process.Owner
  const tag = (msg: AoMessage, name: string) => msg.Tags.find((t) => t.name === name)?.value
  const fails = (msg: AoMessage): boolean => {
    const action = tag(msg, 'Action')
    if (action === 'Fail') return true
    if (action === 'Eval') return typeof msg.Data === 'string' && msg.Data.startsWith('error(')
    if (action === 'Transfer') return tag(msg, 'Recipient') === undefined
    if (action === 'Mint' || action === 'Burn') return msg.From !== owner
    return false
  }
  const messages = log.messages.filter((msg) => msg.Nonce === 0 || !fails(msg)).slice(0, count + 1)
  if (messages.length < count + 1) throw new Error(`the aos token log gave only ${messages.length - 1} messages that do not fail; ${count} were asked for`)
  return { ...log, messages: messages.map((msg, nonce) => ({ ...msg, Nonce: nonce })) }
}
