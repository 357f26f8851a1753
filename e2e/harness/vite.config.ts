import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

// Builds the evaluator harness page with the app's own worker and evaluator code.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { buffer: 'buffer/' } },
  worker: { format: 'es' },
  build: { outDir: fileURLToPath(new URL('../../.cache/e2e-harness', import.meta.url)), emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
})
