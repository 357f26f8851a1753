import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// ao-loader is published as Node CommonJS; its Node built-ins sit in branches a browser never
// takes, so they resolve to empty modules here (see src/eval/emscripten/browserShims.ts).
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { buffer: 'buffer/' },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
})
