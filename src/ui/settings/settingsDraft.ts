import type { Settings } from './settings.ts'

/** The settings as the form's fields hold them while the user edits: text, one field each. */
export type SettingsDraft = { gateway: string; su: string; cus: string; checkpointEvery: string; cuWindow: string; hostProfiles: string }

/** The fields showing `settings`: lists one entry per line. */
export function draftOf(settings: Settings): SettingsDraft {
  return {
    gateway: settings.gateway,
    su: settings.su,
    cus: settings.cus.join('\n'),
    checkpointEvery: String(settings.checkpointEvery),
    cuWindow: String(settings.cuWindow),
    hostProfiles: settings.hostProfiles.join('\n'),
  }
}

/**
 * The settings the fields say, trimmed: CUs split on any white space, host profiles one per
 * line. Not checked: `settingsProblem` says what is wrong with them.
 */
export function settingsOf(draft: SettingsDraft): Settings {
  return {
    gateway: draft.gateway.trim(),
    su: draft.su.trim(),
    cus: draft.cus.split(/\s+/).filter(Boolean),
    checkpointEvery: Number(draft.checkpointEvery),
    cuWindow: Number(draft.cuWindow),
    hostProfiles: draft.hostProfiles
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  }
}
