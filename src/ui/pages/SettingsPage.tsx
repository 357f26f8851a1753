import { useState, type ChangeEvent, type FormEvent } from 'react'
import { knownHostProfiles } from '../../core/host/knownHostProfiles.ts'
import { formatHostProfile, hostProfileSyntax } from '../../core/host/parseHostProfile.ts'
import { SavedEndpoints } from '../components/SavedEndpoints.tsx'
import { StorageUsage } from '../components/StorageUsage.tsx'
import { defaultSettings, settingsProblem, type Settings } from '../settings/settings.ts'
import { draftOf, settingsOf, type SettingsDraft } from '../settings/settingsDraft.ts'

type Field = keyof SettingsDraft
type Edit = (field: Field) => (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void

/** Settings: gateway, SU override and the CUs to check, one per line; host profiles to try, one per line. */
export function SettingsPage({ settings, onSave }: { settings: Settings; onSave: (settings: Settings) => void }) {
  const [draft, setDraft] = useState(() => draftOf(settings))
  const [problem, setProblem] = useState<string | undefined>()
  const [saved, setSaved] = useState(false)
  const edit: Edit = (field) => (event) => {
    const value = event.target.value
    setDraft((d) => ({ ...d, [field]: value }))
  }
  const save = (event: FormEvent) => {
    event.preventDefault()
    const next = settingsOf(draft)
    const wrong = settingsProblem(next)
    setProblem(wrong)
    if (wrong) return
    onSave(next)
    setSaved(true)
  }
  return (
    <form className="settings" onSubmit={save}>
      <h2>Settings</h2>
      <SettingsFields draft={draft} edit={edit} />
      <HostProfilesTried />
      <StorageUsage />
      <SavedEndpoints settings={settings} />
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {saved && !problem && <p role="status">Saved.</p>}
      <button type="submit">Save</button>{' '}
      <button type="button" onClick={() => setDraft(draftOf(defaultSettings))}>
        Defaults
      </button>
    </form>
  )
}

/** The form's fields, one per setting. */
function SettingsFields({ draft, edit }: { draft: SettingsDraft; edit: Edit }) {
  return (
    <>
      <label>
        Gateway <input value={draft.gateway} onChange={edit('gateway')} spellCheck={false} />
      </label>
      <label>
        SU (empty: found from the process's Scheduler tag) <input value={draft.su} onChange={edit('su')} spellCheck={false} />
      </label>
      <label>
        CUs to compare with, one per line <textarea value={draft.cus} onChange={edit('cus')} rows={3} spellCheck={false} />
      </label>
      <label>
        Keep a local checkpoint every N messages (and at the end)
        <input type="number" min={1} step={1} value={draft.checkpointEvery} onChange={edit('checkpointEvery')} />
      </label>
      <label>
        Message results asked of each CU at once
        <input type="number" min={1} step={1} value={draft.cuWindow} onChange={edit('cuWindow')} />
      </label>
      <label>
        Other CU hosts to try (host profiles), one per line: <code>{hostProfileSyntax}</code>
        <textarea value={draft.hostProfiles} onChange={edit('hostProfiles')} rows={2} spellCheck={false} />
      </label>
    </>
  )
}

/** The host profiles Holoscope always tries, and why. */
function HostProfilesTried() {
  return (
    <details className="host-profiles">
      <summary>Host profiles always tried</summary>
      <p className="muted">
        A CU's memory (its state, its checkpoints' SHA-256) holds where it is installed and which ao-loader it runs; its results do not. When a CU's memory
        differs while its results agree, its memory is checked again under each of these, then under yours.
      </p>
      <ul>
        {knownHostProfiles.map((p) => (
          <li key={p.id}>
            {p.label}: <code>{formatHostProfile(p)}</code>
          </li>
        ))}
      </ul>
    </details>
  )
}
