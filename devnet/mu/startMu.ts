import { tagValue } from '../../src/core/message/tagValue.ts'
import type { OutboxItem, Tag } from '../../src/core/message/types.ts'
import { aoItemFrom, signDataItem } from '../lib/dataItems.ts'
import { HttpError, json, listenLoopback, router } from '../lib/http.ts'
import { createLocator } from '../lib/locate.ts'
import type { Wallet } from '../lib/wallets.ts'

export type MuOptions = {
  port?: number
  /** Signs the messages it pushes from process outboxes. */
  wallet: Wallet
  gatewayUrl: string
  /** The CU whose results it reads to push outboxes. */
  cuUrl: string
  /** Attempts to read a result before giving up on pushing its outbox. */
  resultAttempts?: number
}

export type Mu = {
  url: string
  address: string
  /** Resolves when every outbox received so far has been pushed (for tests and seeding). */
  idle(): Promise<void>
  stop(): Promise<void>
}

// Tags a pushed message gets from the MU, not from the outbox (ao-reference 7.1).
const replacedTags = new Set(['Data-Protocol', 'Type', 'From-Process', 'From-Module', 'Assignments'])

/**
 * Starts a Messenger Unit speaking the AO MU API: it takes signed data items (messages and
 * process spawns), hands them to the process's SU (found through the gateway's
 * Scheduler-Location records), then reads each result from the CU and pushes its outbox —
 * Messages to processes, Spawns, Assignments — so processes talk to each other.
 */
export async function startMu(options: MuOptions): Promise<Mu> {
  const { port = 0, wallet, gatewayUrl, cuUrl, resultAttempts = 6 } = options
  const locator = createLocator(gatewayUrl)
  const pending = new Set<Promise<void>>()
  const track = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) => console.error(`[mu] ${error instanceof Error ? error.message : String(error)}`)).finally(() => pending.delete(tracked))
    pending.add(tracked)
  }

  const schedule = async (suUrl: string, body: Uint8Array<ArrayBuffer> | null, query = '') => {
    const res = await fetch(`${suUrl}/${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      ...(body ? { body } : {}),
    })
    const text = await res.text()
    if (!res.ok) throw new HttpError(res.status >= 500 ? 502 : res.status, `the SU refused it: ${errorOf(text)}`)
    return JSON.parse(text) as { id: string; timestamp: number }
  }

  const resultOf = async (processId: string, messageId: string) => {
    let last = ''
    for (let attempt = 0; attempt < resultAttempts; attempt++) {
      try {
        const res = await fetch(`${cuUrl}/result/${messageId}?process-id=${processId}`)
        if (res.ok) return (await res.json()) as { Messages?: OutboxItem[]; Spawns?: OutboxItem[]; Assignments?: OutboxItem[] }
        last = `${res.status} ${errorOf(await res.text())}`
        if (res.status < 500) break
      } catch (error) {
        last = String(error)
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt))
    }
    throw new Error(`no result for message ${messageId} of process ${processId} from the CU (${last}); its outbox was not pushed`)
  }

  /** Reads the result of a scheduled message and pushes its outbox, recursively. */
  const crank = async (processId: string, messageId: string, pushedFor: string): Promise<void> => {
    const result = await resultOf(processId, messageId)
    const moduleId = tagValue((await locator.tagsOf(processId)) ?? [], 'Module') ?? ''
    const origin = [
      { name: 'Data-Protocol', value: 'ao' },
      { name: 'From-Process', value: processId },
      { name: 'From-Module', value: moduleId },
      { name: 'Pushed-For', value: pushedFor },
    ]
    for (const message of result.Messages ?? []) {
      const target = typeof message['Target'] === 'string' ? message['Target'] : ''
      // Outbox messages to wallets (not processes) have nowhere to go.
      if (!target || !(await locator.isProcess(target))) continue
      const tags = [...outboxTags(message), origin[0]!, { name: 'Type', value: 'Message' }, ...origin.slice(1)]
      const item = await signDataItem(wallet, { target, tags, data: outboxData(message), ...anchorOf(message) })
      await schedule(await locator.suOf(target), item.raw)
      await crank(target, item.id, pushedFor)
    }
    for (const spawn of result.Spawns ?? []) {
      const spawnTags = outboxTags(spawn)
      const scheduler = tagValue(spawnTags, 'Scheduler') ?? tagValue((await locator.tagsOf(processId)) ?? [], 'Scheduler')
      if (!scheduler) continue
      const tags = [...spawnTags.filter((t) => t.name !== 'Scheduler'), origin[0]!, { name: 'Type', value: 'Process' }, { name: 'Scheduler', value: scheduler }, ...origin.slice(1)]
      const item = await signDataItem(wallet, { tags, data: outboxData(spawn), ...anchorOf(spawn) })
      await schedule(await locator.schedulerUrl(scheduler), item.raw)
      await crank(item.id, item.id, pushedFor)
    }
    for (const assignment of result.Assignments ?? []) {
      const processes = Array.isArray(assignment['Processes']) ? (assignment['Processes'] as unknown[]).filter((p): p is string => typeof p === 'string') : []
      const message = typeof assignment['Message'] === 'string' ? assignment['Message'] : undefined
      if (!message) continue
      for (const target of processes) {
        const assigned = await schedule(await locator.suOf(target), null, `?process-id=${target}&assign=${message}`)
        await crank(target, assigned.id, pushedFor)
      }
    }
  }

  const post = async (request: Request, url: URL) => {
    const processId = url.searchParams.get('process-id')
    const assign = url.searchParams.get('assign')
    if (assign) {
      if (!processId) throw new HttpError(400, 'assign needs process-id')
      const su = await locator.suOf(processId).catch((error: Error) => {
        throw new HttpError(400, error.message)
      })
      const assigned = await schedule(su, null, url.search)
      track(crank(processId, assigned.id, assigned.id))
      return json({ message: 'Processing Assignment', id: assigned.id }, 202)
    }
    const item = await aoItemFrom(request)
    const type = tagValue(item.tags, 'Type')
    let target: string
    if (type === 'Process') {
      const scheduler = tagValue(item.tags, 'Scheduler')
      if (!scheduler) throw new HttpError(400, 'the process has no Scheduler tag')
      const su = await locator.schedulerUrl(scheduler).catch((error: Error) => {
        throw new HttpError(400, error.message)
      })
      await schedule(su, item.raw)
      target = item.id
    } else if (type === 'Message') {
      if (!item.target) throw new HttpError(400, 'the message has no target process')
      const su = await locator.suOf(item.target).catch((error: Error) => {
        throw new HttpError(400, `cannot find the scheduler of ${item.target}: ${error.message}`)
      })
      await schedule(su, item.raw)
      target = item.target
    } else throw new HttpError(400, `Type ${type ?? '(none)'} is neither Process nor Message`)
    track(crank(target, item.id, item.id))
    return json({ message: 'Processing DataItem', id: item.id }, 202)
  }

  const listening = await listenLoopback(
    port,
    router([
      ['GET', /^\/$/, () => new Response('ao messenger unit', { headers: { 'content-type': 'text/plain' } })],
      ['POST', /^\/$/, post],
    ]),
    'mu',
  )
  const idle = async () => {
    while (pending.size) await Promise.all([...pending])
  }
  return {
    url: listening.url,
    address: wallet.address,
    idle,
    async stop() {
      await idle()
      await listening.close()
    },
  }
}

function outboxTags(item: OutboxItem): Tag[] {
  const tags = Array.isArray(item['Tags']) ? (item['Tags'] as Tag[]) : []
  return tags.filter((t) => typeof t?.name === 'string' && typeof t.value === 'string' && !replacedTags.has(t.name))
}

function outboxData(item: OutboxItem): string {
  const data = item['Data']
  return typeof data === 'string' ? data : data === undefined || data === null ? '' : JSON.stringify(data)
}

/** ANS-104 anchors are exactly 32 bytes: keep the outbox's when it fits. */
function anchorOf(item: OutboxItem): { anchor?: string } {
  const anchor = item['Anchor']
  return typeof anchor === 'string' && Buffer.byteLength(anchor) === 32 ? { anchor } : {}
}

function errorOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown }
    return typeof body.error === 'string' ? body.error : text.slice(0, 200)
  } catch {
    return text.slice(0, 200)
  }
}
