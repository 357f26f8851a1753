import type { Unit } from './errors.ts'
import { fetchJson } from './fetchJson.ts'
import { unitUrl } from './unitUrl.ts'

/** What a unit says about itself: a one-line summary for Settings. */
export type UnitStatus = { unit: Unit; url: string; summary: string }

const infoPath: Record<Unit, string> = { gateway: 'info', SU: '', CU: '' }

/**
 * Asks a unit who it is: a gateway's `/info` (network, height), an SU's or CU's `/` (its
 * wallet address).
 *
 * @throws NetworkError, HttpError, ProtocolError when it does not answer as such a unit
 */
export async function probeUnit(unit: Unit, url: string, signal?: AbortSignal): Promise<UnitStatus> {
  const body = (await fetchJson(unitUrl(unit, url, infoPath[unit]), { signal: signal ?? null }, unit)) as Record<string, unknown> | null
  const text = (key: string) => (typeof body?.[key] === 'string' || typeof body?.[key] === 'number' ? String(body[key]) : undefined)
  const summary =
    unit === 'gateway'
      ? [text('network'), text('height') && `height ${text('height')}`].filter(Boolean).join(', ')
      : [text('Unit') ?? text('unit'), text('address') && `wallet ${text('address')}`].filter(Boolean).join(', ')
  return { unit, url, summary: summary || 'answers' }
}
