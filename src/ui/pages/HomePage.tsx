import { useState, type FormEvent } from 'react'
import { checkProcessId } from '../../replay/verifyProcess.ts'
import { knownProcesses } from '../settings/settings.ts'

/** The home page: a field for any process id, and the processes devnet seeded. */
export function HomePage() {
  const [id, setId] = useState('')
  const [problem, setProblem] = useState<string | undefined>()
  const open = (event: FormEvent) => {
    event.preventDefault()
    try {
      window.location.hash = `#/process/${checkProcessId(id)}`
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
    }
  }
  return (
    <section className="home">
      <form onSubmit={open} className="open-process" noValidate>
        <label htmlFor="process-id">Process id</label>
        <input
          id="process-id"
          value={id}
          onChange={(e) => {
            setId(e.target.value)
            setProblem(undefined)
          }}
          placeholder="43 characters, e.g. from ao.link"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem !== undefined}
          aria-describedby={problem ? 'process-id-problem' : undefined}
        />
        <button type="submit">Verify</button>
        {problem && (
          <p id="process-id-problem" className="error" role="alert">
            {problem}
          </p>
        )}
      </form>
      <h2>Processes</h2>
      {knownProcesses.length === 0 ? (
        <p className="empty">No known processes. Start devnet (npm start) for demo processes, or paste an id above.</p>
      ) : (
        <ul className="process-list">
          {knownProcesses.map((p) => (
            <li key={p.id}>
              <a href={`#/process/${p.id}`}>{p.name}</a> <code>{p.id}</code>
              {p.latestNonce !== undefined && <span className="muted"> · {p.latestNonce.toLocaleString()} messages</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
