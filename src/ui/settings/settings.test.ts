import { describe, expect, it } from 'vitest'
import { defaultSettings, settingsHostProfiles, settingsProblem } from './settings.ts'

describe('host profiles in settings', () => {
  it('adds the profiles written PATH[@VERSION], one per entry', () => {
    const settings = { ...defaultSettings, hostProfiles: ['/srv/cu/src/effects/worker/evaluator/index.js@0.0.44', '/opt/cu/worker.js'] }
    expect(settingsProblem(settings)).toBeUndefined()
    expect(settingsHostProfiles(settings).map((p) => [p.programPath, p.aoLoader])).toEqual([
      ['/srv/cu/src/effects/worker/evaluator/index.js', '0.0.44'],
      ['/opt/cu/worker.js', '0.0.49'],
    ])
  })

  it('refuses one that does not read, saying which and what to write', () => {
    const settings = { ...defaultSettings, hostProfiles: ['/opt/cu/worker.js@0.0.7'] }
    expect(settingsProblem(settings)).toBe('Host profiles: Host profile "/opt/cu/worker.js@0.0.7": ao-loader 0.0.7 is not one Holoscope bundles (0.0.49, 0.0.44). Use one of those versions, or the closest one the CU runs.')
    expect(settingsHostProfiles(settings)).toEqual([])
  })
})
