import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const boundary = (message, patterns) => ({ patterns: patterns.map((group) => ({ group, message })) })

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
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        boundary('The app never imports devnet code: it only knows URLs (DEVELOPERS.md, "Real parts").', [['**/devnet/**']]),
        boundary('Nothing imports the UI: dependencies point ui → services → net/store/workers → core.', [['**/ui/**']]),
      ],
    },
  },
  {
    files: ['src/ui/**/*.ts', 'src/ui/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        boundary('The app never imports devnet code: it only knows URLs (DEVELOPERS.md, "Real parts").', [['**/devnet/**']]),
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        boundary(
          'src/core is pure: no IO, workers, storage, React or DOM. Take what you need as a parameter (style.md, "A pure core").',
          [['**/net/**', '**/store/**', '**/eval/**', '**/ui/**', '**/replay/**', '**/cli/**', '**/workers/**', 'react', 'react-dom', 'idb', 'comlink', 'node:*', '@permaweb/*', '**/devnet/**']],
        ),
      ],
    },
  },
)
