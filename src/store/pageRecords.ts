import type { LogPage, Store } from './storeTypes.ts'
import { sizeOf } from './sizeOf.ts'
import type { StoreContext } from './storeContext.ts'

/** The store's log pages: runs of a process's SU log, read back as consecutive pages. */
export function pageRecords(context: StoreContext): Pick<Store, 'getPages' | 'putPage'> {
  return {
    async getPages(processId, fromNonce, toNonce = Infinity) {
      const store = (await context.db()).transaction('pages').store
      const first = await store.openCursor(IDBKeyRange.bound([processId, -Infinity], [processId, fromNonce]), 'prev')
      if (!first || first.value.toNonce < fromNonce) return []
      const pages: LogPage[] = []
      let next = fromNonce
      const range = IDBKeyRange.bound([processId, first.value.fromNonce], [processId, Infinity])
      for (let cursor = await store.openCursor(range); cursor && next <= toNonce; cursor = await cursor.continue()) {
        const page = cursor.value
        if (page.fromNonce > next) break
        if (page.toNonce < next) continue
        const to = Math.min(page.toNonce, toNonce)
        pages.push({ fromNonce: next, toNonce: to, nodes: page.nodes.slice(next - page.fromNonce, to - page.fromNonce + 1) })
        next = to + 1
      }
      return pages
    },

    async putPage(processId, page) {
      const { fromNonce, toNonce, nodes } = page
      if (!Number.isInteger(fromNonce) || !Number.isInteger(toNonce) || nodes.length !== toNonce - fromNonce + 1) {
        throw new RangeError(`A page of nonces ${fromNonce} to ${toNonce} must hold ${toNonce - fromNonce + 1} nodes, not ${nodes.length}`)
      }
      const keep = await context.latestCheckpoint(processId)
      const store = () =>
        context.write(['pages'], async (tx, count) => {
          // No stored page lies inside another, so the page a nonce is in is the last one starting at or before it.
          const pages = tx.objectStore('pages')
          const before = await pages.openCursor(IDBKeyRange.bound([processId, -Infinity], [processId, fromNonce]), 'prev')
          if (before && before.value.toNonce >= toNonce) return
          for (let cursor = await pages.openCursor(IDBKeyRange.bound([processId, fromNonce], [processId, toNonce])); cursor; cursor = await cursor.continue()) {
            if (cursor.value.toNonce > toNonce) break
            count('pages', -sizeOf(cursor.value))
            await cursor.delete()
          }
          const record = { processId, fromNonce, toNonce, nodes }
          await pages.put(record)
          count('pages', sizeOf(record))
        })
      return context.withEviction(store, keep, `the log of process ${processId} from nonce ${fromNonce} to ${toNonce}`)
    },
  }
}
