import { mergeConfig } from 'vite'
import { fileURLToPath } from 'node:url'
import e2eHarness from '../../../e2e/harness/vite.config.ts'

// Builds the replay benchmark page as the e2e harness page is built (the app's worker and
// evaluator code, the same aliases and worker format), from this folder into its own output.
export default mergeConfig(e2eHarness, {
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: { outDir: fileURLToPath(new URL('../../../.cache/bench-harness', import.meta.url)) },
})
