import type { CheckpointClaim, SkippedCheckpoint } from '../core/checkpoint/checkpointClaim.ts'
import { parseCheckpointClaim, type CheckpointNode } from '../core/checkpoint/parseCheckpointClaim.ts'
import type { Tag } from '../core/message/types.ts'
import { graphqlPage, type GraphqlNode } from './graphqlPage.ts'
import { tagsProblem } from './shapeProblems.ts'

/** What `discoverCheckpoints` found. `truncated`: more pages were left unread (see `maxPages`). */
export type CheckpointDiscovery = { claims: CheckpointClaim[]; skipped: SkippedCheckpoint[]; pages: number; truncated: boolean }

/** How `discoverCheckpoints` asks: whose checkpoints, and how many pages of how many. */
export type DiscoverOptions = {
  signal?: AbortSignal | undefined
  /** Only checkpoints signed by these addresses (the CUs you ask about); none: every signer. */
  owners?: readonly string[] | undefined
  /** Results per GraphQL page (default 100, the most gateways give). */
  pageSize?: number | undefined
  /** Pages to read at most (default 50). */
  maxPages?: number | undefined
}

const fields = 'pageInfo{hasNextPage} edges{cursor node{id signature anchor recipient owner{address key} tags{name value} data{size} block{height timestamp}}}'

/**
 * Lists the checkpoints of a process on a gateway, as a CU finds them (GraphQL tags
 * `Process=P`, `Type=Checkpoint`, `Data-Protocol=ao`, optionally `owners`), page by page with
 * cursors. Each is read from its tags; one that cannot be a claim (a tag missing or malformed,
 * an owner address that does not match its key, another process) is skipped with the reason.
 *
 * @returns the claims sorted by nonce, then timestamp, then owner; the skipped ones
 * @throws NetworkError, HttpError, ProtocolError (not GraphQL, GraphQL errors)
 */
export async function discoverCheckpoints(gateway: string, processId: string, options: DiscoverOptions = {}): Promise<CheckpointDiscovery> {
  const { signal, owners, pageSize = 100, maxPages = 50 } = options
  if (owners && owners.length === 0) return { claims: [], skipped: [], pages: 0, truncated: false }
  const query =
    `query($process:String!,$first:Int!,$after:String${owners ? ',$owners:[String!]' : ''}){transactions(` +
    `tags:[{name:"Process",values:[$process]},{name:"Type",values:["Checkpoint"]},{name:"Data-Protocol",values:["ao"]}],` +
    `${owners ? 'owners:$owners,' : ''}first:$first,after:$after,sort:HEIGHT_DESC){${fields}}}`
  const claims = new Map<string, CheckpointClaim>()
  const skipped = new Map<string, SkippedCheckpoint>()
  let after: string | null = null
  let pages = 0
  for (;;) {
    const variables: Record<string, unknown> = { process: processId, first: pageSize, after, ...(owners ? { owners } : {}) }
    const page = await graphqlPage(gateway, query, variables, signal)
    pages++
    for (const node of page.nodes) {
      const read = parseCheckpointClaim(checkpointNode(node), processId)
      if ('reason' in read) {
        if (!claims.has(read.id)) skipped.set(read.id, read)
      } else claims.set(read.id, read)
    }
    const last = page.cursors.at(-1)
    if (!page.hasNextPage || last === undefined || last === after) return result(false)
    if (pages >= maxPages) return result(true)
    after = last
  }

  function result(truncated: boolean): CheckpointDiscovery {
    const sorted = [...claims.values()].sort((a, b) => a.nonce - b.nonce || a.timestamp - b.timestamp || (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0))
    return { claims: sorted, skipped: [...skipped.values()], pages, truncated }
  }
}

/** The node with its tag list checked for shape, as `parseCheckpointClaim` takes it. */
function checkpointNode(node: GraphqlNode): CheckpointNode {
  const problem = tagsProblem(node['tags'], 'its tags')
  return { ...node, tags: problem === undefined ? (node['tags'] as Tag[]) : { problem } }
}
