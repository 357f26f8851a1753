import { tagValue } from '../../src/core/message/tagValue.ts'
import type { Tag } from '../../src/core/message/types.ts'
import { graphql } from '../gateway/startGateway.ts'

/** Finds processes and their schedulers through the gateway, as AO clients do. */
export type Locator = {
  /** The tags of a transaction or data item, undefined when the gateway does not have it. */
  tagsOf(id: string): Promise<Tag[] | undefined>
  /** Whether `id` is an AO process (a Type=Process item). */
  isProcess(id: string): Promise<boolean>
  /** The URL of the scheduler with this wallet address (its newest Scheduler-Location). */
  schedulerUrl(address: string): Promise<string>
  /** The URL of the SU that schedules process `id` (its Scheduler tag, then the record). */
  suOf(id: string): Promise<string>
}

/** A locator over one gateway, caching what it found. */
export function createLocator(gatewayUrl: string): Locator {
  const tags = new Map<string, Promise<Tag[] | undefined>>()
  const schedulers = new Map<string, Promise<string>>()
  const notProcesses = new Map<string, number>()
  const tagsOf = (id: string) => {
    let known = tags.get(id)
    if (!known) {
      known = graphql(gatewayUrl, 'query($ids:[ID!]){transactions(ids:$ids){edges{node{tags{name value}}}}}', { ids: [id] }).then((data) => {
        const edges = (data as { transactions: { edges: { node: { tags: Tag[] } }[] } }).transactions.edges
        return edges[0]?.node.tags
      })
      // Only found items are cached: a process may be uploaded a moment later.
      void known.then((found) => found === undefined && tags.delete(id), () => tags.delete(id))
      tags.set(id, known)
    }
    return known
  }
  const schedulerUrl = (address: string) => {
    let known = schedulers.get(address)
    if (!known) {
      known = graphql(
        gatewayUrl,
        `query($owners:[String!]){transactions(owners:$owners, tags:[{name:"Data-Protocol", values:["ao"]},{name:"Type", values:["Scheduler-Location"]}], sort: HEIGHT_DESC, first: 1){edges{node{tags{name value}}}}}`,
        { owners: [address] },
      ).then((data) => {
        const node = (data as { transactions: { edges: { node: { tags: Tag[] } }[] } }).transactions.edges[0]?.node
        const url = node && tagValue(node.tags, 'Url')
        if (!url) throw new Error(`no Scheduler-Location record for scheduler ${address} on the gateway`)
        return url
      })
      void known.catch(() => schedulers.delete(address))
      schedulers.set(address, known)
    }
    return known
  }
  return {
    tagsOf,
    async isProcess(id) {
      // Outboxes mostly address wallets, which are not on the gateway at all: remember that
      // for a minute (a process spawned a moment ago may still be on its way).
      if ((notProcesses.get(id) ?? 0) > Date.now()) return false
      const isOne = tagValue((await tagsOf(id)) ?? [], 'Type') === 'Process'
      if (!isOne) notProcesses.set(id, Date.now() + 60_000)
      return isOne
    },
    schedulerUrl,
    async suOf(id) {
      const found = await tagsOf(id)
      if (!found) throw new Error(`process ${id} is not on the gateway`)
      const scheduler = tagValue(found, 'Scheduler')
      if (!scheduler) throw new Error(`process ${id} has no Scheduler tag`)
      return schedulerUrl(scheduler)
    },
  }
}
