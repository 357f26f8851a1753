import { readFileSync } from 'node:fs'
import { sha256 } from '@noble/hashes/sha2.js'
import { toBase64Url } from '../src/core/encoding/base64url.ts'
import { buildAoMessage } from '../src/core/message/toAoMessage.ts'
import type { AoMessage, Tag } from '../src/core/message/types.ts'
import { fakeId, mulberry32, type LocalLog } from './tokenLog.ts'

/** Holoscope's own token handlers for aos (processes/aos/token.lua), loaded by an `Eval`. */
export const aosTokenSource = readFileSync(new URL('./aos/token.lua', import.meta.url), 'utf8')

/** Holoscope's guest book for aos with SQLite (processes/aos/visits.lua), loaded by an `Eval`. */
export const aosGuestBookSource = readFileSync(new URL('./aos/visits.lua', import.meta.url), 'utf8')

/**
 * The process tags aos gives a process it spawns, besides Data-Protocol, Variant, Type, Module,
 * Scheduler and Name. `authority` is whom the process trusts to relay messages from other
 * processes (on AO, the MU's wallet): aos ignores a relayed message from anyone else.
 */
export function aosProcessTags(authority: string): Tag[] {
  return [
    { name: 'App-Name', value: 'aos' },
    { name: 'aos-Version', value: '2.0.6' },
    { name: 'Authority', value: authority },
  ]
}

/** Options of `generateAosTokenLog`. */
export type AosTokenLogOptions = {
  /** Module tags of the aos fixture (its `.json`). */
  moduleTags: Tag[]
  /** Messages after the process message (default 300). */
  count?: number
  /** Seed of the pseudo-random choices (default 1). */
  seed?: number
  /** Wallets besides the owner (default 10). */
  wallets?: number
}

/**
 * A deterministic log of an aos token process, as aos users make one: the process message
 * (nonce 0, aos's process tags), an `Eval` from the owner that loads Holoscope's token
 * handlers (nonce 1), the owner handing tokens out, then transfers among wallets (some too
 * large, some without a recipient), balance, info and supply queries, mints (by the owner and,
 * failing, by others), burns, `Fail` messages (state changed, then an error: rolled back) and
 * a few `Eval`s (one of them failing).
 */
export function generateAosTokenLog(options: AosTokenLogOptions): LocalLog {
  const { moduleTags, count = 300, seed = 1, wallets = 10 } = options
  const random = mulberry32(seed)
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const processId = fakeId(`aos-process:${seed}`)
  const owner = fakeId(`aos-owner:${seed}`)
  const people = [owner, ...Array.from({ length: wallets }, (_, i) => fakeId(`aos-wallet:${seed}:${i}`))]
  const base = (type: string): Tag[] => [
    { name: 'Data-Protocol', value: 'ao' },
    { name: 'Variant', value: 'ao.TN.1' },
    { name: 'Type', value: type },
  ]
  const process = {
    Id: processId,
    Owner: owner,
    Tags: [...base('Process'), { name: 'Module', value: fakeId('aos-module') }, { name: 'Scheduler', value: fakeId('scheduler') }, { name: 'Name', value: 'Holoscope aos Test Token' }, ...aosProcessTags(fakeId('mu'))],
  }
  const module = { Id: fakeId('aos-module'), Owner: fakeId('module-owner'), Tags: moduleTags }
  const t0 = 1_750_000_000_000
  const message = (nonce: number, from: string, tags: Tag[], data = ''): AoMessage =>
    buildAoMessage({
      Id: nonce === 0 ? processId : fakeId(`aos-message:${seed}:${nonce}`),
      Signature: toBase64Url(sha256(new TextEncoder().encode(`aos-sig:${seed}:${nonce}`))),
      Data: data,
      Owner: from,
      Target: processId,
      Anchor: null,
      From: from,
      Tags: nonce === 0 ? process.Tags : [...base('Message'), ...tags],
      Epoch: 0,
      Nonce: nonce,
      Timestamp: t0 + nonce * 1_000,
      'Block-Height': 1_500_000 + Math.floor(nonce / 10),
      'Hash-Chain': fakeId(`aos-chain:${seed}:${nonce}`),
      Cron: false,
    })
  const tag = (name: string, value: string): Tag => ({ name, value })
  const action = (value: string) => tag('Action', value)

  const messages: AoMessage[] = [message(0, owner, [], `Holoscope aos Test Token`), message(1, owner, [action('Eval')], aosTokenSource)]
  for (let i = 1; i <= Math.min(wallets, count - 1); i++) {
    messages.push(message(messages.length, owner, [action('Transfer'), tag('Recipient', people[i]!), tag('Quantity', String(1_000_000 * i))]))
  }
  while (messages.length <= count) {
    const nonce = messages.length
    const from = pick(people)
    const roll = random()
    let tags: Tag[]
    let data = ''
    if (roll < 0.03) tags = [action('Transfer'), tag('Quantity', '5')]
    else if (roll < 0.05) tags = [action('Fail')]
    else if (roll < 0.07) [tags, data] = [[action('Eval')], random() < 0.5 ? 'return #Inbox' : 'error("an Eval that fails")']
    else if (roll < 0.11) tags = [action('Balance'), tag('Target', pick(people))]
    else if (roll < 0.13) tags = [action('Info')]
    else if (roll < 0.15) tags = [action('Balances')]
    else if (roll < 0.17) tags = [action('Total-Supply')]
    else if (roll < 0.2) tags = [action('Mint'), tag('Quantity', String(1 + Math.floor(random() * 1000)))]
    else if (roll < 0.23) tags = [action('Burn'), tag('Quantity', String(1 + Math.floor(random() * 5000)))]
    else {
      const quantity = random() < 0.1 ? '999999999999999999999' : String(1 + Math.floor(random() * 20_000))
      tags = [action('Transfer'), tag('Recipient', pick(people)), tag('Quantity', quantity), tag('X-Memo', `m${nonce}`)]
    }
    // Evals come from the owner (aos runs them for the owner only).
    messages.push(message(nonce, tags[0]?.value === 'Eval' ? owner : from, tags, data))
  }
  return { process, module, messages }
}
