import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cloudfunctions/**', '.local-cloud/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // The emulator's web console (console/): Vue single-file components in TypeScript; prettier
  // formats them, vue-tsc checks their types (npm run typecheck).
  ...pluginVue.configs['flat/essential'].map((config) => ({ ...config, files: ['console/**/*.vue'] })),
  {
    files: ['console/**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
    },
    // Browser globals; vue-tsc checks every name.
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.test.ts', 'testing/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The contract package's boundary. Outside miniprogram/, its contract is `@shared/<module>`, and
  // nothing else of the mini program may be reached except its types.
  {
    files: ['**/*.ts'],
    ignores: ['miniprogram/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)miniprogram/shared(/|$)',
              message: 'Import the contract package as @shared/<module>.',
            },
            {
              regex: '(^|/)miniprogram(/(?!shared(/|$)).*)?$',
              allowTypeImports: true,
              message: 'Only types of the mini program may be imported from outside it; share code through @shared.',
            },
          ],
        },
      ],
    },
  },
  // Inside miniprogram/: relative paths only (DevTools' TypeScript compile does not resolve the
  // alias), and the contract package depends on nothing else of the mini program.
  {
    files: ['miniprogram/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@shared', '@shared/**'], message: 'Use a relative path inside miniprogram/.' }] },
      ],
    },
  },
  {
    files: ['miniprogram/shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\./)', message: 'The contract package imports only its own modules (./<module>).' },
          ],
        },
      ],
    },
  },
);
