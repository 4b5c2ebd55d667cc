// @ts-check
// ESLint with type information (typescript-eslint): `npm run lint:eslint`. Every linted file is typed by one
// program, tsconfig.eslint.json (the build's strict options over src/ and tests alike). Cross-package imports
// resolve to the packages' built declarations, so lint after `tsc -b` (`npm run lint` builds first).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Deep imports into another package bypass its public API (its package.json `exports`). */
const deepImports = [
  {
    regex: '^@stratus/[^/]+/(src|dist|test)(/|$)',
    message: "Import another package through its public entry (`@stratus/<name>` or a subpath it exports), not its files.",
  },
  {
    // `../../<package>/src/…` from packages/<name>/{src,test}; `../packages/…` from test/ or bench/.
    regex: '^(\\.\\./)+packages/|^(\\.\\./){2,}[^./][^/]*/(src|dist|test)(/|$)',
    message: "Import another package by its name (`@stratus/<name>`), not by a relative path into its folder.",
  },
];

/** The rules for every type-checked program: the build's packages and tests, and the isolate-side runtime. */
const typedRules = /** @type {const} */ ({
  // The async mistakes that matter most here: a dropped promise is an unhandled rejection, which kills a
  // Node 20 process, and an async callback where void is expected loses its errors.
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
  // Inside try/catch/finally, `return promise` leaves the block before the promise settles: its rejection
  // skips the catch and the finally runs too early.
  '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
  // A `default:` is an explicit decision about every other member; a switch without one must name them all,
  // so adding an error code or a state shows every place that has to handle it.
  '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
  // With verbatimModuleSyntax a type-only import left as a value import still loads the module at run time.
  '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
  '@typescript-eslint/no-explicit-any': 'error',
  // `const { omitted: _omitted, ...rest } = x` is how a field is dropped from a copy.
  '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
  // Forwarding a caught error (which is `unknown`) as a rejection is the point of Promise.reject(err).
  '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
  // A closure that reads a variable before its one assignment (a handler registered before the object it
  // checks exists) needs `let`: with `const` it would throw in the temporal dead zone.
  'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
  'no-restricted-imports': ['error', { patterns: deepImports }],
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'bench/results/**',
      'bench/.peers/**',
      '.stratus/**',
      'coverage/**',
      // Generated from proto/ by `npm run gen:proto`; `npm run lint:proto-types` keeps them current.
      'packages/contracts/src/generated/**',
      // Built from packages/runtime/isolate/ by `npm run gen:isolate`; `npm run lint:isolate` keeps it current.
      'packages/runtime/src/generated/**',
    ],
  },
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts', 'test/**/*.ts', 'bench/src/**/*.ts', 'bench/test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // One program for everything rather than `projectService`, which opens a program per tsconfig.json
        // (a tsconfig per test folder would be needed too): measured on this repository, 75-95 s of CPU and
        // 2.1 GB of memory against 31-36 s and 0.6 GB.
        project: './tsconfig.eslint.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: typedRules,
  },
  {
    // The code that runs inside isolates is a program of its own: ES2022, no Node or DOM types
    // (packages/runtime/isolate/tsconfig.json), so a Node API used there by mistake does not type-check.
    files: ['packages/runtime/isolate/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: './packages/runtime/isolate/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: typedRules,
  },
  {
    // The bundler's stand-ins for Node built-ins, bundled into functions: plain JavaScript for the isolate, which
    // has the runtime's globals and, in the CommonJS ones, esbuild's require/module/exports.
    files: ['packages/bundler/shims/**/*.{js,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      globals: {
        globalThis: 'readonly',
        setImmediate: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        queueMicrotask: 'readonly',
        process: 'readonly',
      },
    },
  },
  {
    files: ['packages/*/test/**/*.ts', 'test/**/*.ts', 'bench/test/**/*.ts'],
    rules: {
      // Test doubles implement async interfaces and helpers take async callbacks (`eventually`, cleanups):
      // `async` there is the contract, not a missing await.
      '@typescript-eslint/require-await': 'off',
      // vitest's asymmetric matchers (`expect.any(String)`, `expect.stringContaining(…)`) are typed `any` so
      // they fit any expected shape; placing them in an expected object is not an unsafe assignment.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
