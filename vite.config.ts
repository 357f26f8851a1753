import { existsSync, readFileSync } from 'node:fs'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// At dev time the app's default endpoints and its list of demo processes come from devnet's
// ready file (written by `npm run devnet` / `npm start`); without it, public endpoints.
function devnetReady(): unknown {
  const file = '.devnet/ready.json'
  if (!existsSync(file)) return null
  try {
    const ready = JSON.parse(readFileSync(file, 'utf8')) as { gateway: string; cus: { url: string }[]; processes: { id: string; name: string; latestNonce: number }[] }
    return { gateway: ready.gateway, cus: ready.cus.map((c) => ({ url: c.url })), processes: ready.processes.map((p) => ({ id: p.id, name: p.name, latestNonce: p.latestNonce })) }
  } catch {
    return null
  }
}

// ao-loader is published as Node CommonJS; its Node built-ins sit in branches a browser never
// takes, so they resolve to empty modules here (see src/eval/emscripten/browserShims.ts).
export default defineConfig({
  plugins: [react()],
  define: { __HOLOSCOPE_DEVNET__: JSON.stringify(devnetReady()) },
  resolve: {
    alias: { buffer: 'buffer/' },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
})
