import type { SuProcess } from '../core/message/types.ts'
import { findProcessSu } from '../net/gateway.ts'
import { fetchSuProcess } from '../net/su.ts'
import type { Store } from '../store/openStore.ts'

/** The longest a process's SU location is remembered (a record's own Time-To-Live may be shorter). */
const locationTtlMs = 3_600_000

/** A process found: its record, and (while it is asked for) its SU with the latest nonce there. */
export type LocatedProcess = { process: SuProcess; where: Promise<{ su: string; latest: number }> }

/**
 * The process and where its SU is, with the latest nonce (`latestAt`) asked of that SU: the SU
 * override, else the SU remembered from an earlier visit while its Scheduler-Location record's
 * Time-To-Live lasts, else the gateway's records. A remembered process is used as it is (a
 * process never changes): then only the latest nonce is asked for, and when that SU fails, the
 * gateway is asked again.
 *
 * @throws the gateway's and SU's network errors (NotFoundError when no SU is recorded for it)
 */
export async function locateProcess(
  store: Store | undefined,
  endpoints: { gateway: string; su?: string | undefined },
  processId: string,
  latestAt: (su: string) => Promise<number>,
  signal?: AbortSignal,
): Promise<LocatedProcess> {
  const at = async (su: string) => {
    const latest = latestAt(su)
    latest.catch(() => undefined)
    return { process: await fetchSuProcess(su, processId, signal), where: latest.then((n) => ({ su, latest: n })) }
  }
  const relocate = async () => {
    const found = await findProcessSu(endpoints.gateway, processId, signal)
    const located = await at(found.url)
    const until = Date.now() + Math.min(found.ttlMs ?? locationTtlMs, locationTtlMs)
    await store?.putLocation(processId, { su: found.url, scheduler: found.address, until, process: located.process }).catch(() => undefined)
    return located
  }
  if (endpoints.su) return at(endpoints.su)
  const remembered = await store?.getLocation(processId).catch(() => undefined)
  if (remembered?.process) {
    const where = latestAt(remembered.su).then(
      (latest) => ({ su: remembered.su, latest }),
      async () => {
        signal?.throwIfAborted()
        return (await relocate()).where
      },
    )
    where.catch(() => undefined)
    return { process: remembered.process, where }
  }
  if (remembered) {
    const located = await at(remembered.su).catch(() => undefined)
    if (located) {
      await store?.putLocation(processId, { ...remembered, process: located.process }).catch(() => undefined)
      return located
    }
    signal?.throwIfAborted()
  }
  return relocate()
}
