import { HostProfileError, parseHostProfile } from '../../core/host/parseHostProfile.ts'

/**
 * Where the app looks for processes (a gateway, an optional SU override, the CUs to check) and
 * how often it keeps a local checkpoint (every `checkpointEvery` messages, and at the end), how
 * many message results it asks of a CU at once (`cuWindow`; public CUs limit request rates), and
 * the host profiles to try besides the known ones (`hostProfiles`, each `PATH[@VERSION]`).
 */
export type Settings = { gateway: string; su: string; cus: string[]; checkpointEvery: number; cuWindow: number; hostProfiles: string[] }

/** A process the app suggests on its home page. */
export type KnownProcess = { id: string; name: string; latestNonce?: number }

type DevnetReady = { gateway: string; cus: { url: string }[]; processes: { id: string; name: string; latestNonce: number }[] }

declare const __HOLOSCOPE_DEVNET__: DevnetReady | null

const storageKey = 'holoscope.settings'

/** Devnet's ready file as it was when the app was built or served (null when devnet was not running). */
export const devnet: DevnetReady | null = typeof __HOLOSCOPE_DEVNET__ === 'undefined' ? null : __HOLOSCOPE_DEVNET__

/** The defaults: devnet's endpoints at dev time, else the public network's. */
export const defaultSettings: Settings = devnet
  ? { gateway: devnet.gateway, su: '', cus: devnet.cus.map((c) => c.url), checkpointEvery: 1000, cuWindow: 16, hostProfiles: [] }
  : { gateway: 'https://arweave.net', su: '', cus: ['https://cu.ao-testnet.xyz'], checkpointEvery: 1000, cuWindow: 16, hostProfiles: [] }

/** The processes devnet seeded, for the home page. */
export const knownProcesses: KnownProcess[] = devnet?.processes.map((p) => ({ id: p.id, name: p.name, latestNonce: p.latestNonce })) ?? []

/** The saved settings, or the defaults. */
export function loadSettings(): Settings {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Partial<Settings> | null
    if (saved && typeof saved.gateway === 'string' && Array.isArray(saved.cus)) {
      const every = Number(saved.checkpointEvery)
      const window = Number(saved.cuWindow)
      return {
        gateway: saved.gateway,
        su: saved.su ?? '',
        cus: saved.cus.filter((c) => typeof c === 'string'),
        checkpointEvery: Number.isInteger(every) && every > 0 ? every : defaultSettings.checkpointEvery,
        cuWindow: Number.isInteger(window) && window > 0 ? window : defaultSettings.cuWindow,
        hostProfiles: Array.isArray(saved.hostProfiles) ? saved.hostProfiles.filter((p) => typeof p === 'string') : [],
      }
    }
  } catch {
    // Unreadable settings fall back to the defaults.
  }
  return defaultSettings
}

/** Saves settings for the next visit. */
export function saveSettings(settings: Settings): void {
  localStorage.setItem(storageKey, JSON.stringify(settings))
}

/** The host profiles the settings add (those that read; `settingsProblem` names the others). */
export function settingsHostProfiles(settings: Settings) {
  return settings.hostProfiles.flatMap((spec) => {
    try {
      return [parseHostProfile(spec)]
    } catch {
      return []
    }
  })
}

/**
 * Checks settings: every URL must be http(s), every host profile `PATH[@VERSION]`.
 *
 * @returns a message saying what is wrong, or undefined when they are fine
 */
export function settingsProblem(settings: Settings): string | undefined {
  if (!Number.isInteger(settings.checkpointEvery) || settings.checkpointEvery < 1) return 'Checkpoint every: a whole number of messages, 1 or more'
  if (!Number.isInteger(settings.cuWindow) || settings.cuWindow < 1) return 'Results asked at once: a whole number, 1 or more'
  for (const spec of settings.hostProfiles) {
    try {
      parseHostProfile(spec)
    } catch (error) {
      if (error instanceof HostProfileError) return `Host profiles: ${error.message} ${error.details ?? ''}`.trim()
      throw error
    }
  }
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
