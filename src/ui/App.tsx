import { useState } from 'react'
import { useHashRoute } from './hooks/useHashRoute.ts'
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
      {route.page === 'home' && <HomePage settings={settings} />}
      {route.page === 'process' && <ProcessPage key={route.id} processId={route.id} settings={settings} />}
      {route.page === 'settings' && (
        <SettingsPage
          settings={settings}
          onSave={(next) => {
            saveSettings(next)
            setSettings(next)
          }}
        />
      )}
      {route.page === 'local' && <LocalReplayPage />}
    </main>
  )
}
