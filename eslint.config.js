// Type-aware linting: floating promises are errors, because an unawaited promise in a
// request handler or a worker silently loses failures (and, here, audit events).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      // Fastify hooks are async so that a throw becomes an error answer, await or not.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'examples/*/test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Transactions open only through Database.transaction (src/db/transactions.ts), which makes
  // the outer handle unreachable inside them and is what audit appends rely on (issue 7 #8, #17).
  {
    files: ['**/*.ts'],
    ignores: ['src/db/**', 'web/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction'][arguments.length=0]",
          message:
            'Open transactions with database.transaction(async (trx) => ...), never Kysely .transaction().',
        },
      ],
    },
  },
  // The web app (web/): the rules of hooks, and browser globals come from web/tsconfig.json.
  { files: ['web/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // The SDK's banner is plain JavaScript for browsers: TypeScript (checkJs) knows its globals.
  { files: ['packages/sdk/src/banner.js'], rules: { 'no-undef': 'off' } },
);
