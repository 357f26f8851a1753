import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { firstHashChain, nextHashChain } from '../../src/core/message/hashChain.ts'
import { tagValue } from '../../src/core/message/tagValue.ts'
import type { SuMessage, SuNode, SuProcess, Tag } from '../../src/core/message/types.ts'
import { aoItemFrom, signDataItem, utf8OrNull, type ParsedItem } from '../lib/dataItems.ts'
import { HttpError, json, listenLoopback, router, type Listening } from '../lib/http.ts'
import type { Wallet } from '../lib/wallets.ts'

/** Faults an SU can be started with (off by default). They apply to assignments made while on. */
export type SuFaults = {
  /** The assignment with this nonce carries a wrong Hash-Chain (the chain goes on from it). */
  breakChainAt?: number
  /** No message gets this nonce: the one that would have it gets the next. */
  skipNonceAt?: number
}

export type SuOptions = {
  port?: number
  wallet: Wallet
  /** The gateway: its URL (for block height and assigned transactions) and its uploader. */
  gateway: { url: string; upload(items: Uint8Array[]): Promise<void> }
  /** Append-only file that keeps the schedule between runs. */
  stateFile?: string
  faults?: SuFaults
  /** Time-To-Live of the Scheduler-Location record, ms. */
  locationTtlMs?: number
  /** Answers every page of a process's log this many ms late, like an SU far away (default 0). */
  pageLatencyMs?: number
}

export type Su = { url: string; address: string; stop(): Promise<void> }

type Entry = { nonce: number; timestamp: number; node: SuNode }
type Schedule = { process: SuProcess; entries: Entry[]; byId: Map<string, Entry>; tail: Promise<unknown> }
type Saved = { kind: 'process'; process: SuProcess } | { kind: 'entry'; processId: string; entry: Entry }

const idPattern = /^[A-Za-z0-9_-]{43}$/

/**
 * Starts a Scheduler Unit speaking the AO SU HTTP API: it takes signed data items, gives
 * each a nonce and a signed assignment (Hash-Chain as the real SU computes it), uploads
 * both to the gateway, serves the paged log, and announces itself with a Scheduler-Location
 * record on the gateway.
 */
export async function startSu(options: SuOptions): Promise<Su> {
  const { port = 0, wallet, gateway, stateFile, faults = {}, locationTtlMs = 3_600_000, pageLatencyMs = 0 } = options
  const schedules = new Map<string, Schedule>()
  const save = (record: Saved) => {
    if (stateFile) appendFileSync(stateFile, `${JSON.stringify(record)}\n`)
  }
  if (stateFile) {
    mkdirSync(dirname(stateFile), { recursive: true })
    if (existsSync(stateFile)) {
      for (const line of readFileSync(stateFile, 'utf8').split('\n')) {
        if (!line.trim()) continue
        const record = JSON.parse(line) as Saved
        if (record.kind === 'process') schedules.set(record.process.process_id, { process: record.process, entries: [], byId: new Map(), tail: Promise.resolve() })
        else {
          const schedule = schedules.get(record.processId)
          if (schedule) index(schedule, record.entry)
        }
      }
    }
  }

  let height = { value: 0, at: 0 }
  const blockHeight = async () => {
    if (Date.now() - height.at > 1000) {
      const info = (await (await fetch(`${gateway.url}/info`)).json()) as { height: number }
      height = { value: info.height, at: Date.now() }
    }
    return height.value
  }

  const scheduleOf = (processId: string | null) => {
    const schedule = processId ? schedules.get(processId) : undefined
    if (!schedule) throw new HttpError(400, `Process ${processId ?? '(none given)'} is not scheduled on this SU`)
    return schedule
  }

  /**
   * Appends one assignment to a process's schedule (serialised per process), stamped with the
   * time and block height now, or with `stamp` (a process's own assignment: its record's).
   */
  const assign = async (schedule: Schedule, message: SuMessage | null, messageId: string | undefined, extraTags: Tag[], uploads: Uint8Array[], stamp?: { timestamp: number; block: string }) => {
    const work = schedule.tail.then(async () => {
      const last = schedule.entries.at(-1)
      let nonce = last ? last.nonce + 1 : 0
      if (faults.skipNonceAt !== undefined && nonce === faults.skipNonceAt) nonce++
      let hashChain = last ? nextHashChain(last.node.assignment.id, tagValue(last.node.assignment.tags, 'Hash-Chain')!) : firstHashChain(schedule.process.process_id)
      if (faults.breakChainAt === nonce) hashChain = firstHashChain(wallet.address.padEnd(43, 'A').slice(0, 43))
      const timestamp = stamp?.timestamp ?? Math.max(Date.now(), last?.timestamp ?? 0)
      const block = stamp?.block ?? String(await blockHeight()).padStart(12, '0')
      const tags: Tag[] = [
        { name: 'Process', value: schedule.process.process_id },
        { name: 'Epoch', value: '0' },
        { name: 'Nonce', value: String(nonce) },
        { name: 'Hash-Chain', value: hashChain },
        { name: 'Block-Height', value: block },
        { name: 'Timestamp', value: String(timestamp) },
        { name: 'Data-Protocol', value: 'ao' },
        { name: 'Type', value: 'Assignment' },
        { name: 'Variant', value: 'ao.TN.1' },
        ...(messageId ? [{ name: 'Message', value: messageId }] : []),
        ...extraTags,
      ]
      const signed = await signDataItem(wallet, { tags })
      const entry: Entry = {
        nonce,
        timestamp,
        node: {
          message,
          assignment: { id: signed.id, owner: signed.owner, tags: signed.tags, signature: signed.signature, anchor: null, target: null },
        },
      }
      index(schedule, entry)
      save({ kind: 'entry', processId: schedule.process.process_id, entry })
      return { entry, raw: signed.raw }
    })
    schedule.tail = work.catch(() => undefined)
    // Uploads happen outside the per-process order, so the gateway bundles many at once; the
    // answer still waits until message and assignment are on the gateway.
    const { entry, raw } = await work
    await gateway.upload([...uploads, raw])
    return entry
  }

  const post = async (request: Request, url: URL) => {
    const processId = url.searchParams.get('process-id')
    const assignId = url.searchParams.get('assign')
    if (assignId) {
      const schedule = scheduleOf(processId)
      if (!idPattern.test(assignId)) throw new HttpError(400, `assign=${assignId} is not a transaction id`)
      const known = await fetch(`${gateway.url}/${assignId}`, { method: 'HEAD' })
      if (!known.ok) throw new HttpError(400, `Transaction ${assignId} is not on the gateway`)
      const exclude = (url.searchParams.get('exclude') ?? '').split(',').filter(Boolean)
      const entry = await assign(schedule, null, assignId, exclude.map((value) => ({ name: 'Exclude', value })), [])
      return json({ timestamp: entry.timestamp, id: entry.node.assignment.id })
    }
    const item = await aoItemFrom(request)
    const type = tagValue(item.tags, 'Type')
    if (type === 'Process') {
      if (schedules.has(item.id)) throw new HttpError(400, `Process ${item.id} is already scheduled`)
      const scheduler = tagValue(item.tags, 'Scheduler')
      if (scheduler !== wallet.address) throw new HttpError(400, `the process names scheduler ${scheduler ?? '(none)'}, not this SU (${wallet.address})`)
      if (!tagValue(item.tags, 'Module')) throw new HttpError(400, 'the process has no Module tag')
      const timestamp = Date.now()
      const process: SuProcess = {
        process_id: item.id,
        block: String(await blockHeight()).padStart(12, '0'),
        owner: item.owner,
        tags: item.tags,
        timestamp,
        data: utf8OrNull(item.data),
        anchor: item.anchor,
        signature: item.signature,
        target: item.target || null,
      }
      const schedule: Schedule = { process, entries: [], byId: new Map(), tail: Promise.resolve() }
      schedules.set(item.id, schedule)
      save({ kind: 'process', process })
      // aop6: the process has its own assignment, nonce 0, whose message is the process item;
      // the real SU reads the record's timestamp and block from that assignment's tags.
      const entry = await assign(schedule, toSuMessage(item, process.data), undefined, [], [item.raw], { timestamp, block: process.block })
      return json({ timestamp: entry.timestamp, id: item.id })
    }
    if (type !== 'Message') throw new HttpError(400, `Type ${type ?? '(none)'} cannot be scheduled: only Process and Message`)
    const schedule = scheduleOf(processId ?? item.target)
    if (item.target !== schedule.process.process_id) throw new HttpError(400, `the message targets ${item.target || '(nothing)'}, not process ${schedule.process.process_id}`)
    if (schedule.byId.has(item.id)) throw new HttpError(400, `Message ${item.id} is already scheduled`)
    const entry = await assign(schedule, toSuMessage(item, lossyUtf8(item.data)), item.id, [], [item.raw])
    return json({ timestamp: entry.timestamp, id: item.id })
  }

  const page = async (schedule: Schedule, url: URL) => {
    if (pageLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, pageLatencyMs))
    const q = url.searchParams
    const limit = Math.max(1, Math.min(Number(q.get('limit') ?? 100) || 100, 1000))
    const byNonce = q.has('from-nonce') || q.has('to-nonce')
    const num = (name: string) => (q.has(name) && q.get(name) !== '' ? Number(q.get(name)) : undefined)
    const from = num(byNonce ? 'from-nonce' : 'from')
    const to = num(byNonce ? 'to-nonce' : 'to')
    if ((from !== undefined && Number.isNaN(from)) || (to !== undefined && Number.isNaN(to))) throw new HttpError(400, 'from/to must be numbers')
    const key = (e: Entry) => (byNonce ? e.nonce : e.timestamp)
    const matching = schedule.entries.filter((e) => (from === undefined || key(e) > from) && (to === undefined || key(e) <= to))
    const edges = matching.slice(0, limit).map((e) => ({ node: e.node, cursor: String(key(e)) }))
    return json({ page_info: { has_next_page: matching.length > limit }, edges })
  }

  const routes = router([
    ['GET', /^\/$/, () => json({ timestamp: Date.now(), address: wallet.address })],
    ['GET', /^\/timestamp$/, async () => json({ timestamp: String(Date.now()), block_height: String(await blockHeight()).padStart(12, '0') })],
    ['GET', /^\/processes\/([^/]+)$/, (_r, _u, [id]) => json(processRecord(scheduleOf(id!)))],
    [
      'GET',
      /^\/([^/]+)\/latest$/,
      (_r, _u, [id]) => {
        const last = scheduleOf(id!).entries.at(-1)
        if (!last) throw new HttpError(400, 'Message or Process not found')
        return json(last.node)
      },
    ],
    [
      'GET',
      /^\/([^/]+)$/,
      (_r, url, [id]) => {
        const processId = url.searchParams.get('process-id')
        if (!processId) throw new HttpError(400, 'Failed to deserialize query string: missing field `process-id`')
        const schedule = schedules.get(processId)
        if (!schedule) throw new HttpError(400, 'Message or Process not found')
        if (id === processId) return page(schedule, url)
        const entry = schedule.byId.get(id!)
        if (!entry) throw new HttpError(400, 'Message or Process not found')
        return json(entry.node)
      },
    ],
    ['POST', /^\/$/, post],
  ])

  const listening: Listening = await listenLoopback(port, routes, 'su')
  // Announce where this scheduler is, as SUs do on mainnet: clients find it from the
  // process's Scheduler tag through this record.
  const location = await signDataItem(wallet, {
    tags: [
      { name: 'Data-Protocol', value: 'ao' },
      { name: 'Variant', value: 'ao.TN.1' },
      { name: 'Type', value: 'Scheduler-Location' },
      { name: 'Url', value: listening.url },
      { name: 'Time-To-Live', value: String(locationTtlMs) },
    ],
  })
  await gateway.upload([location.raw])
  return {
    url: listening.url,
    address: wallet.address,
    async stop() {
      await Promise.all([...schedules.values()].map((s) => s.tail))
      await listening.close()
    },
  }
}

/**
 * A process as `GET /processes/{P}` shows it: its `timestamp` and `block` are the `Timestamp`
 * and `Block-Height` of its own nonce-0 assignment, as the real SU reads them (a CU looks the
 * process's first message up by that timestamp). Schedules kept from before they were stamped
 * alike are answered the same way.
 */
function processRecord(schedule: Schedule): SuProcess {
  const own = schedule.entries[0]
  if (!own || own.nonce !== 0 || own.node.message?.id !== schedule.process.process_id) return schedule.process
  const tags = own.node.assignment.tags
  return { ...schedule.process, timestamp: Number(tagValue(tags, 'Timestamp')), block: tagValue(tags, 'Block-Height') ?? schedule.process.block }
}

function index(schedule: Schedule, entry: Entry): void {
  schedule.entries.push(entry)
  schedule.byId.set(entry.node.assignment.id, entry)
  const messageId = entry.node.message?.id ?? tagValue(entry.node.assignment.tags, 'Message')
  if (messageId && !schedule.byId.has(messageId)) schedule.byId.set(messageId, entry)
}

function toSuMessage(item: ParsedItem, data: string | null): SuMessage {
  return { id: item.id, owner: item.owner, data, tags: item.tags, signature: item.signature, anchor: item.anchor, target: item.target }
}

/** Message data as the SU shows it: UTF-8, invalid bytes replaced. */
function lossyUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes)
}
