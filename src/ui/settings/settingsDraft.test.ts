import { describe, expect, it } from 'vitest'
import { defaultSettings } from './settings.ts'
import { draftOf, settingsOf } from './settingsDraft.ts'

describe('the settings form', () => {
  it('shows settings as fields and reads the same settings back', () => {
    const settings = { ...defaultSettings, cus: ['http://a', 'http://b'], hostProfiles: ['/opt/cu/worker.js@0.0.44'] }
    expect(draftOf(settings).cus).toBe('http://a\nhttp://b')
    expect(settingsOf(draftOf(settings))).toEqual(settings)
  })

  it('trims what was typed: CUs split on any space, host profiles one per line, empty lines dropped', () => {
    const draft = { gateway: ' http://g ', su: ' ', cus: 'http://a  http://b\n\n', checkpointEvery: '10', cuWindow: '4', hostProfiles: ' /opt/cu/w.js \n\n/srv/x.js@0.0.49' }
    expect(settingsOf(draft)).toEqual({ gateway: 'http://g', su: '', cus: ['http://a', 'http://b'], checkpointEvery: 10, cuWindow: 4, hostProfiles: ['/opt/cu/w.js', '/srv/x.js@0.0.49'] })
  })
})
