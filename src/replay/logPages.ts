import { nonceOf } from '../core/message/nonceOf.ts'
import { tagValue } from '../core/message/tagValue.ts'
import type { SuNode } from '../core/message/types.ts'
import { streamLog } from '../net/su.ts'
import type { Store } from '../store/openStore.ts'

/** Where `logPages` reads: the store (optional) and the SU, from `afterNonce` (exclusive) to `toNonce`. */
export type LogPagesOptions = {
  store: Store | undefined
  su: string
  processId: string
  afterNonce: number
  toNonce: number
  /** The assignment at `afterNonce`, to check the first fetched link against. */
  previous: { assignmentId: string; hashChain: string } | undefined
  signal?: AbortSignal | undefined
  onNotice?: (notice: string) => void
}

/**
 * A process's log from `afterNonce + 1` to `toNonce`, page by page: the pages already stored
 * (they were checked when fetched), then the rest streamed from the SU with its hash chain
 * checked from the last stored assignment on, and stored as it comes.
 */
export async function* logPages(options: LogPagesOptions): AsyncGenerator<SuNode[], void, undefined> {
  const { store, su, processId, toNonce, signal } = options
  let after = options.afterNonce
  let previous = options.previous
  if (store) {
    for (const page of await store.getPages(processId, after + 1, toNonce)) {
      const nodes = page.nodes.filter((node) => nonceOf(node) <= toNonce)
      if (!nodes.length) break
      yield nodes
      const lastNode = nodes[nodes.length - 1]!
      after = nonceOf(lastNode)
      const hashChain = tagValue(lastNode.assignment.tags, 'Hash-Chain')
      previous = hashChain ? { assignmentId: lastNode.assignment.id, hashChain } : undefined
    }
  }
  if (after >= toNonce) return
  for await (const nodes of streamLog(su, processId, { afterNonce: after < 0 ? undefined : after, toNonce, previous, signal })) {
    if (store && nodes.length) {
      const first = nonceOf(nodes[0]!)
      const outcome = await store.putPage(processId, { fromNonce: first, toNonce: first + nodes.length - 1, nodes }).catch(() => undefined)
      if (outcome?.notice) options.onNotice?.(outcome.notice)
    }
    yield nodes
  }
}

/**
 * Pulls pages from `pages` `ahead` at a time: each pull takes the oldest and asks for one more,
 * so fetching overlaps evaluating. `start` begins fetching before the first pull.
 */
export function prefetchPages(pages: AsyncIterator<SuNode[], void>, ahead: number): { start(): void; pull(): Promise<IteratorResult<SuNode[], void>> } {
  const queued: Array<Promise<IteratorResult<SuNode[], void>>> = []
  const fill = () => {
    while (queued.length < ahead) {
      const pulled = pages.next()
      pulled.catch(() => undefined)
      queued.push(pulled)
    }
  }
  return {
    start: fill,
    pull() {
      fill()
      const next = queued.shift()!
      fill()
      return next
    },
  }
}
