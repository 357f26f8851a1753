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
// net, store and eval sit side by side just above the core: each imports only src/core (and npm
// packages), so a type two of them share moves down into the core instead of across or up.
const layers = ['net', 'store', 'eval', 'replay', 'cli', 'workers']
const onlyCore = (self) => [
  layers.filter((layer) => layer !== self).flatMap((layer) => [`**/${layer}/**`, `**/${layer}`]),
  `src/${self} imports only src/core (and npm packages): net, store and eval sit side by side above the core, replay, cli and workers above them. Move what is shared down into src/core (style.md, "Dependencies point one way").`,
]
// The IO globals the pure core must not touch, each with where that IO lives instead.
const impureGlobals = [
  ['fetch', 'src/core is pure: HTTP lives in src/net. Take the fetched data (or a fetch function) as a parameter (style.md, "A pure core").'],
  ['indexedDB', 'src/core is pure: IndexedDB lives in src/store. Take the stored data as a parameter (style.md, "A pure core").'],
  ['window', 'src/core is pure and runs in workers and Node too: the DOM lives in src/ui (style.md, "A pure core").'],
  ['document', 'src/core is pure and runs in workers and Node too: the DOM lives in src/ui (style.md, "A pure core").'],
].map(([name, message]) => ({ name, message }))
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
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': restrict(devnet, ui, pure), 'no-restricted-globals': ['error', ...impureGlobals] } },
  // A core test may check the core against Node's own implementation (node:crypto); the core itself may not use it.
  { files: ['src/core/**/*.test.ts'], rules: { 'no-restricted-imports': restrict(devnet, ui, [pure[0].filter((group) => group !== 'node:*'), pure[1]]) } },
  ...['net', 'store', 'eval'].map((layer) => ({ files: [`src/${layer}/**/*.ts`], rules: { 'no-restricted-imports': restrict(devnet, ui, onlyCore(layer)) } })),
  // A function a newcomer can read at once: longer ones are split into named steps (tests excepted:
  // a describe block holds its cases).
  {
    files: ['src/**/*.{ts,tsx}', 'workers/**/*.ts'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  // Integration tests start a devnet to talk to; they live outside src, so the app never knows it.
  { files: ['integration/**/*.ts'], rules: { 'no-restricted-imports': restrict(ui) } },
)
