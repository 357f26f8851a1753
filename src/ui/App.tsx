/** The app shell. Opening processes and verifying them comes with the app issue. */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '3rem auto', padding: '0 1rem', lineHeight: 1.5 }}>
      <h1>Holoscope</h1>
      <p>Verify AO processes by replaying their message log in your browser.</p>
      <p>
        The evaluators are in place: run <code>npm run holoscope -- replay --help</code> to replay a module over a local log.
        Opening a process by id comes next.
      </p>
    </main>
  )
}
