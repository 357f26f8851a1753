import { NetworkError, type Unit } from './errors.ts'

/**
 * The URL of `path` on a unit whose base URL is `base` (a trailing slash or a base path is
 * kept), with `query` parameters appended in order (undefined ones left out).
 *
 * @throws NetworkError when `base` is not an http(s) URL
 */
export function unitUrl(unit: Unit, base: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  // Not URL.parse: Node 20 lacks it.
  const url = URL.canParse(base) ? new URL(base) : undefined
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new NetworkError(unit, base, new Error('it is not an http:// or https:// URL'))
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
  url.search = ''
  url.hash = ''
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.append(name, String(value))
  }
  return url.toString()
}
