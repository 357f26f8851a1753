import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { knownHostProfiles } from '../../core/host/knownHostProfiles.ts'
import { formatHostProfile, hostProfileSyntax } from '../../core/host/parseHostProfile.ts'
import type { Unit } from '../../net/errors.ts'
import { unitStatusQuery } from '../queries/unitQueries.ts'
import { clearLocalStore, localStore } from '../settings/localStore.ts'
import { formatBytes } from '../format.ts'
import { defaultSettings, settingsProblem, type Settings } from '../settings/settings.ts'

/** Whether the saved endpoint answers, next to its field. */
function UnitStatusLine({ unit, url }: { unit: Unit; url: string }) {
  const status = useQuery(unitStatusQuery(unit, url))
  if (status.isPending) return <span className="unit-status muted">checking {url}…</span>
  if (status.isError) return <span className="unit-status error">{url} does not answer: {status.error.message}</span>
  return <span className="unit-status ok">✓ {url} answers ({status.data.summary})</span>
}

/** What the app keeps in this browser, and a way to delete it. */
function StorageUsage() {
  const usage = useQuery({ queryKey: ['storage-usage'], queryFn: async () => (await localStore()).usage(), retry: false })
  const [cleared, setCleared] = useState(false)
  if (usage.isPending) return <p className="muted">Reading local storage…</p>
  if (usage.isError) return <p className="muted">Local storage is not available here ({usage.error.message}); every visit replays from the start.</p>
  const { bytes, checkpoints } = usage.data
  return (
    <p className="storage-usage">
      Stored in this browser: {formatBytes(bytes)} ({checkpoints.length.toLocaleString()} checkpoints).{' '}
      <button
        type="button"
        onClick={async () => {
          await clearLocalStore()
          setCleared(true)
          await usage.refetch()
        }}
      >
        Delete stored data
      </button>
      {cleared && <span role="status"> Deleted.</span>}
    </p>
  )
}

/** Settings: gateway, SU override and the CUs to check, one per line; host profiles to try, one per line. */
export function SettingsPage({ settings, onSave }: { settings: Settings; onSave: (settings: Settings) => void }) {
  const [gateway, setGateway] = useState(settings.gateway)
  const [su, setSu] = useState(settings.su)
  const [cus, setCus] = useState(settings.cus.join('\n'))
  const [checkpointEvery, setCheckpointEvery] = useState(String(settings.checkpointEvery))
  const [cuWindow, setCuWindow] = useState(String(settings.cuWindow))
  const [hostProfiles, setHostProfiles] = useState(settings.hostProfiles.join('\n'))
  const [problem, setProblem] = useState<string | undefined>()
  const [saved, setSaved] = useState(false)
  const save = (event: FormEvent) => {
    event.preventDefault()
    const next: Settings = {
      gateway: gateway.trim(),
      su: su.trim(),
      cus: cus.split(/\s+/).filter(Boolean),
      checkpointEvery: Number(checkpointEvery),
      cuWindow: Number(cuWindow),
      hostProfiles: hostProfiles
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    }
    const wrong = settingsProblem(next)
    setProblem(wrong)
    if (wrong) return
    onSave(next)
    setSaved(true)
  }
  const reset = () => {
    setGateway(defaultSettings.gateway)
    setSu(defaultSettings.su)
    setCus(defaultSettings.cus.join('\n'))
    setCheckpointEvery(String(defaultSettings.checkpointEvery))
    setCuWindow(String(defaultSettings.cuWindow))
    setHostProfiles(defaultSettings.hostProfiles.join('\n'))
  }
  return (
    <form className="settings" onSubmit={save}>
      <h2>Settings</h2>
      <label>
        Gateway <input value={gateway} onChange={(e) => setGateway(e.target.value)} spellCheck={false} />
      </label>
      <label>
        SU (empty: found from the process's Scheduler tag) <input value={su} onChange={(e) => setSu(e.target.value)} spellCheck={false} />
      </label>
      <label>
        CUs to compare with, one per line <textarea value={cus} onChange={(e) => setCus(e.target.value)} rows={3} spellCheck={false} />
      </label>
      <label>
        Keep a local checkpoint every N messages (and at the end)
        <input type="number" min={1} step={1} value={checkpointEvery} onChange={(e) => setCheckpointEvery(e.target.value)} />
      </label>
      <label>
        Message results asked of each CU at once
        <input type="number" min={1} step={1} value={cuWindow} onChange={(e) => setCuWindow(e.target.value)} />
      </label>
      <label>
        Other CU hosts to try (host profiles), one per line: <code>{hostProfileSyntax}</code>
        <textarea value={hostProfiles} onChange={(e) => setHostProfiles(e.target.value)} rows={2} spellCheck={false} />
      </label>
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
      <StorageUsage />
      <div className="unit-statuses" aria-live="polite">
        <h3>Saved endpoints</h3>
        <UnitStatusLine unit="gateway" url={settings.gateway} />
        {settings.su && <UnitStatusLine unit="SU" url={settings.su} />}
        {settings.cus.map((cu) => (
          <UnitStatusLine key={cu} unit="CU" url={cu} />
        ))}
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {saved && !problem && <p role="status">Saved.</p>}
      <button type="submit">Save</button> <button type="button" onClick={reset}>Defaults</button>
    </form>
  )
}
