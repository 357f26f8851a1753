import { LocalReplayPage } from './pages/LocalReplayPage.tsx'
import './app.css'

/** The app shell. Opening processes by id and verifying them comes with the app issue. */
export function App() {
  return (
    <main className="app">
      <header>
        <h1>Holoscope</h1>
        <p>Verify AO processes by replaying their message log in your browser.</p>
      </header>
      <LocalReplayPage />
    </main>
  )
}
