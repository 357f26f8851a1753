/** Where the app looks for processes: a gateway, an optional SU override and the CUs to check. */
export type Settings = { gateway: string; su: string; cus: string[] }

/** A process the app suggests on its home page. */
export type KnownProcess = { id: string; name: string; latestNonce?: number }

type DevnetReady = { gateway: string; cus: { url: string }[]; processes: { id: string; name: string; latestNonce: number }[] }

declare const __HOLOSCOPE_DEVNET__: DevnetReady | null

const storageKey = 'holoscope.settings'

/** Devnet's ready file as it was when the app was built or served (null when devnet was not running). */
export const devnet: DevnetReady | null = typeof __HOLOSCOPE_DEVNET__ === 'undefined' ? null : __HOLOSCOPE_DEVNET__

/** The defaults: devnet's endpoints at dev time, else the public network's. */
export const defaultSettings: Settings = devnet
  ? { gateway: devnet.gateway, su: '', cus: devnet.cus.map((c) => c.url) }
  : { gateway: 'https://arweave.net', su: '', cus: ['https://cu.ao-testnet.xyz'] }

/** The processes devnet seeded, for the home page. */
export const knownProcesses: KnownProcess[] = devnet?.processes.map((p) => ({ id: p.id, name: p.name, latestNonce: p.latestNonce })) ?? []

/** The saved settings, or the defaults. */
export function loadSettings(): Settings {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Partial<Settings> | null
    if (saved && typeof saved.gateway === 'string' && Array.isArray(saved.cus)) return { gateway: saved.gateway, su: saved.su ?? '', cus: saved.cus.filter((c) => typeof c === 'string') }
  } catch {
    // Unreadable settings fall back to the defaults.
  }
  return defaultSettings
}

/** Saves settings for the next visit. */
export function saveSettings(settings: Settings): void {
  localStorage.setItem(storageKey, JSON.stringify(settings))
}

/**
 * Checks settings: every URL must be http(s).
 *
 * @returns a message saying what is wrong, or undefined when they are fine
 */
export function settingsProblem(settings: Settings): string | undefined {
  for (const [label, url] of [['Gateway', settings.gateway], ['SU', settings.su], ...settings.cus.map((c, i) => [`CU ${i + 1}`, c])] as [string, string][]) {
    if (label === 'SU' && url === '') continue
    try {
      const parsed = new URL(url)
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${label}: ${url} is not an http(s) URL`
    } catch {
      return `${label}: "${url}" is not a URL`
    }
  }
  return undefined
}
