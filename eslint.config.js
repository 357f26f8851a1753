import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

// The import boundaries of style.md, each with its reason. Flat config replaces (not merges)
// a rule's options per file, so each block lists every boundary that applies to its files.
const devnet = [['**/devnet/**', '**/devnet'], 'The app never imports devnet code: it only knows URLs (DEVELOPERS.md, "Real parts").']
const ui = [['**/ui/**', '**/ui'], 'Nothing imports the UI: dependencies point ui → services → net/store/workers → core.']
const pure = [
  ['**/net/**', '**/store/**', '**/eval/**', '**/replay/**', '**/cli/**', '**/workers/**', 'react', 'react-dom', 'idb', 'comlink', 'node:*', '@permaweb/*'],
  'src/core is pure: no IO, evaluators, workers, storage, React or DOM. Take what you need as a parameter (style.md, "A pure core").',
]
const restrict = (...boundaries) => ['error', { patterns: boundaries.map(([group, message]) => ({ group, message })) }]

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'processes/build', 'processes/*/assembly', '.devnet', '.cache'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/**/*.{ts,tsx}', 'workers/**/*.ts'], rules: { 'no-restricted-imports': restrict(devnet, ui) } },
  { files: ['src/ui/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': restrict(devnet) } },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': restrict(devnet, ui, pure) } },
  // Integration tests start a devnet to talk to; they live outside src, so the app never knows it.
  { files: ['integration/**/*.ts'], rules: { 'no-restricted-imports': restrict(ui) } },
)
