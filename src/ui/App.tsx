import { useState } from 'react'
import { ErrorBoundary } from './components/ErrorBoundary.tsx'
import { useHashRoute, type Route } from './hooks/useHashRoute.ts'
import { HomePage } from './pages/HomePage.tsx'
import { LocalReplayPage } from './pages/LocalReplayPage.tsx'
import { ProcessPage } from './pages/ProcessPage.tsx'
import { SettingsPage } from './pages/SettingsPage.tsx'
import { loadSettings, saveSettings, type Settings } from './settings/settings.ts'
import './app.css'

/** The app shell: home (open a process), a process's page, settings, and offline replay. */
export function App() {
  const route = useHashRoute()
  const [settings, setSettings] = useState<Settings>(loadSettings)
  const save = (next: Settings) => {
    saveSettings(next)
    setSettings(next)
  }
  return (
    <main className="app">
      <header>
        <h1>
          <a href="#/">Holoscope</a>
        </h1>
        <p>Verify AO processes by replaying their message log in your browser.</p>
        <nav>
          <a href="#/">Processes</a> · <a href="#/settings">Settings</a> · <a href="#/local">Replay a local module</a>
        </nav>
      </header>
      {/* A new route is a fresh boundary: going to another page leaves a failed one behind. */}
      <ErrorBoundary key={route.page === 'process' ? `process/${route.id}` : route.page}>
        <RoutePage route={route} settings={settings} onSave={save} />
      </ErrorBoundary>
    </main>
  )
}

/** The page the route names. */
function RoutePage({ route, settings, onSave }: { route: Route; settings: Settings; onSave: (settings: Settings) => void }) {
  switch (route.page) {
    case 'home':
      return <HomePage settings={settings} />
    case 'process':
      return <ProcessPage key={route.id} processId={route.id} settings={settings} />
    case 'settings':
      return <SettingsPage settings={settings} onSave={onSave} />
    case 'local':
      return <LocalReplayPage />
  }
}
