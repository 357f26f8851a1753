import { sha256 } from '@noble/hashes/sha2.js'
import { toBase64Url } from '../src/core/encoding/base64url.ts'
import { buildAoMessage } from '../src/core/message/toAoMessage.ts'
import type { LocalLog } from '../src/core/message/parseLocalLog.ts'
import type { AoMessage, Tag } from '../src/core/message/types.ts'

export type { LocalLog }

/** Options of `generateTokenLog`. */
export type TokenLogOptions = {
  /** Messages after the process message (default 300). */
  count?: number
  /** Seed of the pseudo-random choices (default 1). */
  seed?: number
  /** Wallets besides the owner (default 10). */
  wallets?: number
  /** Module tags of the fixture (its `.json`). */
  moduleTags: Tag[]
  /** Extra process tags (e.g. `Memory-Ballast`). */
  processTags?: Tag[]
  /** Mix in failing messages: Transfer without Recipient and Fail (default true). */
  failures?: boolean
  /** Mix in Trap messages (default false). */
  traps?: boolean
  /**
   * Mix in Send-Ping, Ping and Pong messages (default false; off, the log is exactly what it
   * was before these actions existed, which other tests rely on).
   */
  pings?: boolean
}

/** A deterministic id: base64url(sha256(label)), 43 characters like an Arweave id. */
export function fakeId(label: string): string {
  return toBase64Url(sha256(new TextEncoder().encode(label)))
}

/**
 * Generates a deterministic message log for the token fixtures: the process message
 * (nonce 0), then transfers among wallets (some for more than the sender has), balance and
 * info queries, mints by the owner and by others, burns and, unless turned off, messages whose
 * result carries Error after they changed state — so evaluators that do not roll back differ.
 * With `pings`, some transfers give way to Send-Ping (with `Data`; without `To` too, when
 * `failures`), Ping and Pong messages (with or without `Ping-Id`).
 */
export function generateTokenLog(options: TokenLogOptions): LocalLog {
  const { count = 300, seed = 1, wallets = 10, moduleTags, processTags = [], failures = true, traps = false, pings = false } = options
  const random = mulberry32(seed)
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const processId = fakeId(`process:${seed}`)
  const owner = fakeId(`owner:${seed}`)
  const people = [owner, ...Array.from({ length: wallets }, (_, i) => fakeId(`wallet:${seed}:${i}`))]
  const process = {
    Id: processId,
    Owner: owner,
    Tags: [
      { name: 'Data-Protocol', value: 'ao' },
      { name: 'Variant', value: 'ao.TN.1' },
      { name: 'Type', value: 'Process' },
      { name: 'Module', value: fakeId('module') },
      { name: 'Scheduler', value: fakeId('scheduler') },
      { name: 'Name', value: 'Holoscope Test Token' },
      { name: 'Ticker', value: 'HTT' },
      ...processTags,
    ],
  }
  const module = { Id: fakeId('module'), Owner: fakeId('module-owner'), Tags: moduleTags }
  const t0 = 1_750_000_000_000
  const message = (nonce: number, from: string, tags: Tag[], data = ''): AoMessage =>
    buildAoMessage({
      Id: nonce === 0 ? processId : fakeId(`message:${seed}:${nonce}`),
      Signature: toBase64Url(sha256(new TextEncoder().encode(`sig:${seed}:${nonce}`))),
      Data: data,
      Owner: from,
      Target: processId,
      Anchor: null,
      From: from,
      Tags: [{ name: 'Data-Protocol', value: 'ao' }, { name: 'Variant', value: 'ao.TN.1' }, { name: 'Type', value: nonce === 0 ? 'Process' : 'Message' }, ...tags],
      Epoch: 0,
      Nonce: nonce,
      Timestamp: t0 + nonce * 1_000,
      'Block-Height': 1_500_000 + Math.floor(nonce / 10),
      'Hash-Chain': fakeId(`chain:${seed}:${nonce}`),
      Cron: false,
    })

  const messages: AoMessage[] = [message(0, owner, process.Tags.slice(3), 'token')]
  // The owner spreads tokens first, so that later transfers mostly succeed.
  for (let i = 1; i <= Math.min(wallets, count); i++) {
    messages.push(message(i, owner, [action('Transfer'), tag('Recipient', people[i]!), tag('Quantity', String(1_000_000 * i))]))
  }
  for (let nonce = messages.length; nonce <= count; nonce++) {
    const from = pick(people)
    const roll = random()
    let tags: Tag[]
    let data = ''
    if (failures && roll < 0.04) tags = [action('Transfer'), tag('Quantity', '5')]
    else if (failures && roll < 0.06) tags = [action('Fail')]
    else if (traps && roll < 0.08) tags = [action('Trap')]
    else if (roll < 0.12) tags = [action('Balance'), tag('Target', pick(people))]
    else if (roll < 0.14) tags = [action('Info')]
    else if (roll < 0.16) tags = [action('Balances')]
    else if (roll < 0.18) tags = [action('Total-Supply')]
    else if (roll < 0.21) tags = [action('Mint'), tag('Quantity', String(1 + Math.floor(random() * 1000)))]
    else if (roll < 0.24) tags = [action('Burn'), tag('Quantity', String(1 + Math.floor(random() * 5000)))]
    else if (pings && roll < 0.32) {
      const kind = random()
      data = random() < 0.7 ? `ping ${nonce}` : ''
      if (failures && kind < 0.1) tags = [action('Send-Ping')]
      else if (kind < 0.45) tags = [action('Send-Ping'), tag('To', pick(people))]
      else if (kind < 0.6) tags = [action('Ping')]
      else if (kind < 0.8) tags = [action('Ping'), tag('Ping-Id', fakeId(`ping:${seed}:${nonce}`))]
      else if (kind < 0.92) tags = [action('Pong'), tag('Ping-Id', fakeId(`ping:${seed}:${nonce}`))]
      else tags = [action('Pong')]
    } else {
      const quantity = random() < 0.1 ? '999999999999999999999' : String(1 + Math.floor(random() * 20_000))
      tags = [action('Transfer'), tag('Recipient', pick(people)), tag('Quantity', quantity), tag('X-Memo', `m${nonce}`)]
    }
    messages.push(message(nonce, from, tags, data))
  }
  return { process, module, messages }
}

function action(value: string): Tag {
  return { name: 'Action', value }
}

function tag(name: string, value: string): Tag {
  return { name, value }
}

/** A small seeded PRNG (mulberry32): the same seed gives the same log everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
