import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { checkProcessId } from '../../core/message/processId.ts'
import { processQueries } from '../queries/processQueries.ts'
import { knownProcesses, type KnownProcess, type Settings } from '../settings/settings.ts'

/** A known process, with its message count as its SU says now. */
function ProcessLink({ process, settings }: { process: KnownProcess; settings: Settings }) {
  const latest = useQuery(processQueries.latestNonce(settings, process.id))
  const count = latest.data ?? process.latestNonce
  return (
    <li>
      <a href={`#/process/${process.id}`}>{process.name}</a> <code>{process.id}</code>
      {count !== undefined && <span className="muted"> · latest nonce {count.toLocaleString()}</span>}
      {latest.isError && <span className="muted"> · its SU does not answer now</span>}
    </li>
  )
}

/** A field for any process id: a valid one opens its page, another is refused, saying why. */
function OpenProcess() {
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
  )
}

/** The home page: a field for any process id, and the processes devnet seeded. */
export function HomePage({ settings }: { settings: Settings }) {
  return (
    <section className="home">
      <OpenProcess />
      <h2>Processes</h2>
      {knownProcesses.length === 0 ? (
        <p className="empty">No known processes. Start devnet (npm start) for demo processes, or paste an id above.</p>
      ) : (
        <ul className="process-list">
          {knownProcesses.map((p) => (
            <ProcessLink key={p.id} process={p} settings={settings} />
          ))}
        </ul>
      )}
    </section>
  )
}
