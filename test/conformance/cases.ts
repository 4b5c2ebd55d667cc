import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'vitest';
import { npmPackageFiles } from '../support/npm-packages.js';

/**
 * Conformance cases: each a small function and the outcome AWS Lambda's
 * Node.js 20 runtime gives for it, taken from Lambda's documentation and its
 * runtime interface client. Stratus-only choices are marked "Stratus:".
 */
import type { LoggingInput } from '@stratus/client';

/** What one invocation must give. */
export interface Expected {
  /** The exact JSON result (parsed), or the error object without its trace when `functionError` is set. */
  readonly payload?: unknown;
  /** A partial match on the parsed payload. */
  readonly payloadMatch?: Record<string, unknown>;
  /** Lambda's X-Amz-Function-Error: 'Unhandled' for errors, '' for success. Default ''. */
  readonly functionError?: '' | 'Unhandled';
  /** Patterns the returned log tail must contain. */
  readonly logs?: readonly RegExp[];
  /** Patterns the log tail must not contain. */
  readonly noLogs?: readonly RegExp[];
}

export interface ConformanceCase {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  /** Default 'index.handler'. */
  readonly handler?: string;
  readonly memorySizeMb?: number;
  readonly timeoutSec?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** Lambda's LoggingConfig. Default Text. */
  readonly logging?: LoggingInput;
  readonly event?: unknown;
  /** Stratus reports this at deploy (createFunction fails with a message matching it) rather than at the first invoke. */
  readonly deployError?: RegExp;
  /** The deploy succeeds and returns a warning matching each of these (and no other warnings when given). */
  readonly deployWarnings?: readonly RegExp[];
  /** One entry per invocation, in order, each with `event` when given. */
  readonly invocations?: readonly Expected[];
  /** After the case, another function on the same node must still answer (hostile cases). */
  readonly nodeStillServes?: boolean;
}

const ok = (payload: unknown): Expected => ({ payload, functionError: '' });

const EXITED_2: Expected = {
  functionError: 'Unhandled',
  payloadMatch: { errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]+ Error: Runtime exited with error: exit status 2$/) as unknown },
};

/** A key pair for the signature cases, made once per run (RSA 2048, PEM). */
const TEST_RSA_KEYS = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const err = (errorType: string, errorMessage?: string | RegExp): Expected => ({
  functionError: 'Unhandled',
  payloadMatch: errorMessage === undefined ? { errorType } : typeof errorMessage === 'string' ? { errorType, errorMessage } : { errorType },
  ...(errorMessage instanceof RegExp ? { logs: [errorMessage] } : {}),
});

export const CASES: readonly ConformanceCase[] = [
  // --- code layout and handler resolution ---------------------------------------------
  { name: 'cjs-exports', files: { 'index.js': 'exports.handler = async (event) => ({ got: event.x });' }, event: { x: 1 }, invocations: [ok({ got: 1 })] },
  { name: 'cjs-module-exports', files: { 'index.js': "module.exports = { handler: async () => 'module.exports' };" }, invocations: [ok('module.exports')] },
  { name: 'esm-mjs', files: { 'index.mjs': "export const handler = async () => 'mjs';" }, invocations: [ok('mjs')] },
  {
    name: 'esm-js-type-module',
    files: { 'index.js': "export const handler = async () => 'type module';", 'package.json': '{"type":"module"}' },
    invocations: [ok('type module')],
  },
  {
    // Node loads a .js file without "type": "module" as CommonJS, where `import` is a syntax error.
    name: 'esm-js-without-type-module',
    files: { 'index.js': "import { sep } from 'path';\nexport const handler = async () => sep;" },
    deployWarnings: [/^index\.js: every invocation fails with Runtime\.UserCodeSyntaxError/],
    invocations: [err('Runtime.UserCodeSyntaxError', 'SyntaxError: Cannot use import statement outside a module')],
  },
  {
    // Node 20's words, second line included: the file and the package.json that made it an ES module.
    name: 'cjs-js-in-type-module',
    files: { 'index.js': "exports.handler = async () => 'never';", 'package.json': '{"type":"module"}' },
    invocations: [
      err(
        'ReferenceError',
        "exports is not defined in ES module scope\nThis file is being treated as an ES module because it has a '.js' file extension and '/var/task/package.json' contains \"type\": \"module\". To treat it as a CommonJS script, rename it to use the '.cjs' file extension.",
      ),
    ],
  },
  {
    name: 'cjs-js-in-type-module-nested',
    handler: 'src/app.handler',
    files: {
      'src/app.js': "const helper = require('./helper');\nexports.handler = async () => helper;",
      'src/package.json': '{"type":"module"}',
      'package.json': '{"name":"app"}',
    },
    invocations: [
      err(
        'ReferenceError',
        "require is not defined in ES module scope, you can use import instead\nThis file is being treated as an ES module because it has a '.js' file extension and '/var/task/src/package.json' contains \"type\": \"module\". To treat it as a CommonJS script, rename it to use the '.cjs' file extension.",
      ),
    ],
  },
  {
    // A small package arrives at the node inside one NATS message: each carried file is its own bytes, not the
    // message's (a view into a Node Buffer once made the file read as the start of the NATS read buffer).
    name: 'files-small-package-exact-bytes',
    files: {
      'index.js': "const fs = require('fs');\nexports.handler = async () => [fs.readFileSync(__dirname + '/package.json', 'utf8'), fs.readFileSync(__dirname + '/note.txt', 'utf8')];",
      'package.json': '{"name":"exact"}',
      'note.txt': 'beside it',
    },
    invocations: [ok(['{"name":"exact"}', 'beside it'])],
  },
  {
    // The same code as an .mjs file: Node adds no second line.
    name: 'cjs-in-mjs',
    files: { 'index.mjs': "exports.handler = async () => 'never';", 'package.json': '{"type":"module"}' },
    invocations: [err('ReferenceError', 'exports is not defined in ES module scope')],
  },
  {
    name: 'resolution-js-first',
    files: { 'index.js': "exports.handler = async () => 'js';", 'index.mjs': "export const handler = async () => 'mjs';", 'index.cjs': "exports.handler = async () => 'cjs';" },
    invocations: [ok('js')],
  },
  {
    name: 'resolution-mjs-before-cjs',
    files: { 'index.mjs': "export const handler = async () => 'mjs';", 'index.cjs': "exports.handler = async () => 'cjs';" },
    invocations: [ok('mjs')],
  },
  { name: 'nested-folder', handler: 'src/api/app.handler', files: { 'src/api/app.js': "exports.handler = async () => 'nested';" }, invocations: [ok('nested')] },
  {
    name: 'nested-property',
    handler: 'index.handlers.get',
    files: { 'index.js': "exports.handlers = { get: async () => 'nested property' };" },
    invocations: [ok('nested property')],
  },
  {
    name: 'typescript',
    files: { 'index.ts': 'interface In { n: number }\nexport const handler = async (event: In): Promise<number> => event.n * 2;' },
    event: { n: 21 },
    invocations: [ok(42)],
  },
  {
    name: 'node-modules-dependency',
    files: {
      'index.js': "const shout = require('shout');\nexports.handler = async () => shout('hi');",
      'node_modules/shout/package.json': '{"name":"shout","main":"lib/main.js"}',
      'node_modules/shout/lib/main.js': "module.exports = (s) => s.toUpperCase() + '!';",
    },
    invocations: [ok('HI!')],
  },
  {
    name: 'top-level-await-counts-as-init',
    files: { 'index.mjs': 'const value = await new Promise((r) => setTimeout(() => r(5), 20));\nexport const handler = async () => value;' },
    invocations: [{ payload: 5, functionError: '', logs: [/Init Duration: \d+\.\d{2} ms/] }],
  },
  {
    name: 'handler-not-exported',
    files: { 'index.js': 'exports.other = async () => 1;' },
    invocations: [err('Runtime.HandlerNotFound', 'index.handler is undefined or not exported')],
  },
  { name: 'handler-not-a-function', files: { 'index.js': 'exports.handler = 5;' }, invocations: [err('Runtime.HandlerNotFound', 'index.handler is not a function')] },
  // Deploys as on Lambda; the first invocation fails with Lambda's runtime client's words, and deploy warns.
  {
    name: 'handler-file-missing',
    handler: 'missing.handler',
    files: { 'index.js': 'exports.handler = 1;' },
    deployWarnings: [/no file for module 'missing'.*the zip root holds index\.js.*Runtime\.ImportModuleError/],
    invocations: [
      {
        functionError: 'Unhandled',
        payload: {
          errorType: 'Runtime.ImportModuleError',
          errorMessage: "Error: Cannot find module 'missing'\nRequire stack:\n- /var/runtime/index.mjs",
          trace: ["Runtime.ImportModuleError: Error: Cannot find module 'missing'", 'Require stack:', '- /var/runtime/index.mjs'],
        },
        logs: [/INIT_REPORT|Uncaught Exception \t\{"errorType":"Runtime\.ImportModuleError"/],
      },
    ],
  },
  {
    name: 'syntax-error',
    files: { 'index.js': 'exports.handler = async () => {\n  return {;\n};' },
    deployWarnings: [/^index\.js:2:\d+: .*Runtime\.UserCodeSyntaxError "SyntaxError: Unexpected token ';'"/],
    invocations: [err('Runtime.UserCodeSyntaxError', "SyntaxError: Unexpected token ';'")],
  },
  {
    name: 'syntax-error-mjs',
    files: { 'index.mjs': 'export const handler = async () => {\n  return {;\n};' },
    deployWarnings: [/^index\.mjs:2:\d+: .*Runtime\.UserCodeSyntaxError/],
    invocations: [err('Runtime.UserCodeSyntaxError', "SyntaxError: Unexpected token ';'")],
  },
  {
    name: 'malformed-handler',
    handler: 'index',
    files: { 'index.js': 'exports.handler = async () => 1;' },
    deployWarnings: [/Runtime\.MalformedHandlerName "Bad handler"/],
    invocations: [{ functionError: 'Unhandled', payload: { errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler', trace: ['Runtime.MalformedHandlerName: Bad handler'] } }],
  },
  {
    name: 'missing-dependency-required',
    files: { 'index.js': "const x = require('not-installed');\nexports.handler = async () => x;" },
    deployWarnings: [/^index\.js: require\("not-installed"\) finds no module in the package/],
    invocations: [err('Runtime.ImportModuleError', "Error: Cannot find module 'not-installed'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs")],
  },
  {
    name: 'missing-package-imported',
    files: { 'index.mjs': "import x from 'not-installed';\nexport const handler = async () => x;" },
    // `import[ ]"…"` so the repository's dependency check does not take the pattern for an import of its own.
    deployWarnings: [/^index\.mjs: import[ ]"not-installed" finds no module in the package/],
    invocations: [err('Runtime.ImportModuleError', "Error: Cannot find package 'not-installed' imported from /var/task/index.mjs")],
  },
  {
    // pg loads pg-native only when asked for it, inside try/catch: absent, it fails only that call, as on Lambda.
    name: 'optional-dependency-absent',
    files: {
      'index.js': "const pg = require('pg');\nexports.handler = async (event) => (event.native ? pg.native : pg.query());",
      'node_modules/pg/package.json': '{"name":"pg","version":"8.0.0","main":"lib/index.js"}',
      'node_modules/pg/lib/index.js':
        "exports.query = () => 'queried without pg-native';\nObject.defineProperty(exports, 'native', { get() { return require('./native'); } });",
      'node_modules/pg/lib/native/index.js': "module.exports = require('pg-native');",
    },
    deployWarnings: [/^node_modules\/pg\/lib\/native\/index\.js: require\("pg-native"\) finds no module in the package/],
    invocations: [
      ok('queried without pg-native'),
    ],
  },
  {
    name: 'optional-dependency-reached',
    event: { native: true },
    files: {
      'index.js': "const pg = require('pg');\nexports.handler = async (event) => (event.native ? pg.native : pg.query());",
      'node_modules/pg/package.json': '{"name":"pg","version":"8.0.0","main":"lib/index.js"}',
      'node_modules/pg/lib/index.js':
        "exports.query = () => 'queried without pg-native';\nObject.defineProperty(exports, 'native', { get() { return require('./native'); } });",
      'node_modules/pg/lib/native/index.js': "module.exports = require('pg-native');",
    },
    invocations: [
      err(
        'Error',
        "Cannot find module 'pg-native'\nRequire stack:\n- /var/task/node_modules/pg/lib/native/index.js\n- /var/task/node_modules/pg/lib/index.js\n- /var/task/index.js\n- /var/runtime/index.mjs",
      ),
    ],
  },

  {
    // require.resolve gives the paths Node gives on Lambda: the package's files under /var/task, the SDK the
    // runtime offers under /var/runtime/node_modules, a built-in its own name; a module nobody has throws.
    name: 'require-resolve',
    files: {
      'index.js': [
        "const attempt = (f) => { try { return f(); } catch (err) { return { code: err.code, message: err.message }; } };",
        'exports.handler = async () => [',
        "  require.resolve('./lib/a'), require.resolve('dep'), require.resolve('dep/lib/other.js'), require.resolve('fs'), require.resolve('node:path'),",
        "  require.resolve('@aws-sdk/client-lambda'), attempt(() => require.resolve('not-installed')), require.resolve(['./lib', 'a'].join('/')), attempt(() => require.resolve(['./lib', 'b'].join('/'))),",
        '];',
      ].join('\n'),
      'lib/a.js': 'module.exports = 1;',
      'lib/b.js': 'module.exports = 4;',
      'node_modules/dep/package.json': '{"name":"dep","version":"1.0.0","main":"lib/main.js"}',
      'node_modules/dep/lib/main.js': 'module.exports = 2;',
      'node_modules/dep/lib/other.js': 'module.exports = 3;',
    },
    invocations: [
      ok([
        '/var/task/lib/a.js',
        '/var/task/node_modules/dep/lib/main.js',
        '/var/task/node_modules/dep/lib/other.js',
        'fs',
        'node:path',
        '/var/runtime/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js',
        { code: 'MODULE_NOT_FOUND', message: "Cannot find module 'not-installed'\nRequire stack:\n- /var/task/index.js" },
        // A computed argument naming what a literal one names gets the same answer.
        '/var/task/lib/a.js',
        // Stratus: only what literal arguments name is resolved (at deploy); the bundle has no module system at run time.
        { code: 'MODULE_NOT_FOUND', message: "Cannot find module './lib/b'\nRequire stack:\n- /var/task/index.js" },
      ]),
    ],
  },

  // --- handler styles --------------------------------------------------------------------
  { name: 'callback-result', files: { 'index.js': "exports.handler = (event, context, callback) => callback(null, 'via callback');" }, invocations: [ok('via callback')] },
  {
    name: 'callback-error',
    files: { 'index.js': "exports.handler = (event, context, callback) => callback(new Error('callback failed'));" },
    invocations: [{ ...err('Error', 'callback failed'), logs: [/\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"callback failed"/] }],
  },
  { name: 'context-succeed', files: { 'index.js': "exports.handler = (event, context) => { context.succeed({ via: 'succeed' }); };" }, invocations: [ok({ via: 'succeed' })] },
  { name: 'context-fail', files: { 'index.js': "exports.handler = (event, context) => { context.fail(new TypeError('via fail')); };" }, invocations: [err('TypeError', 'via fail')] },
  { name: 'context-done', files: { 'index.js': "exports.handler = (event, context) => { context.done(null, 'via done'); };" }, invocations: [ok('via done')] },
  {
    // Lambda serialises the callback's result once the event loop is empty, so the timer's change shows.
    name: 'callback-waits-for-empty-event-loop',
    files: { 'index.js': "exports.handler = (event, context, callback) => { const out = []; setTimeout(() => out.push('timer ran'), 30); callback(null, out); };" },
    invocations: [ok(['timer ran'])],
  },
  {
    name: 'callback-does-not-wait-when-disabled',
    files: {
      'index.js':
        "exports.handler = (event, context, callback) => { context.callbackWaitsForEmptyEventLoop = false; const out = []; setTimeout(() => out.push('timer ran'), 10000); callback(null, out); };",
    },
    invocations: [ok([])],
  },
  // Node 20 Lambda: a non-async handler's return value is ignored; with no callback the response is null.
  { name: 'sync-return-without-callback', files: { 'index.js': "exports.handler = (event, context) => 'ignored';" }, invocations: [ok(null)] },
  {
    name: 'callback-before-promise-wins',
    files: {
      'index.js':
        "exports.handler = async (event, context, callback) => { context.callbackWaitsForEmptyEventLoop = false; callback(null, 'callback'); return 'promise'; };",
    },
    invocations: [ok('callback')],
  },
  {
    name: 'promise-before-callback-wins',
    files: { 'index.js': "exports.handler = async (event, context, callback) => { setTimeout(() => callback(null, 'callback'), 20); return 'promise'; };" },
    invocations: [ok('promise')],
  },
  {
    name: 'async-never-settles-empty-loop-null',
    files: { 'index.js': 'exports.handler = async () => new Promise(() => {});' },
    invocations: [ok(null)],
  },
  {
    name: 'module-state-survives-warm-invocations',
    files: { 'index.js': 'let calls = 0;\nexports.handler = async () => ({ calls: ++calls });' },
    invocations: [ok({ calls: 1 }), { payload: { calls: 2 }, functionError: '', noLogs: [/Init Duration/] }],
  },

  // --- results and errors --------------------------------------------------------------------
  { name: 'undefined-result-is-null', files: { 'index.js': 'exports.handler = async () => undefined;' }, invocations: [ok(null)] },
  {
    name: 'unserialisable-circular',
    files: { 'index.js': 'exports.handler = async () => { const a = {}; a.self = a; return a; };' },
    invocations: [err('Error', 'Unable to stringify response body')],
  },
  { name: 'unserialisable-bigint', files: { 'index.js': 'exports.handler = async () => ({ n: 10n });' }, invocations: [err('Error', 'Unable to stringify response body')] },
  {
    name: 'error-type-from-name',
    files: { 'index.js': "class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }\nexports.handler = async () => { throw new ValidationError('bad input'); };" },
    invocations: [err('ValidationError', 'bad input')],
  },
  {
    // The payload reports the string as it is; the log record is the runtime client's: the string made an Error.
    name: 'thrown-string',
    files: { 'index.js': "exports.handler = async () => { throw 'just a string'; };" },
    invocations: [
      {
        payload: { errorType: 'string', errorMessage: 'just a string', trace: [] },
        functionError: 'Unhandled',
        logs: [/\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"just a string","stack":\["Error: just a string"," {4}at /],
      },
    ],
  },
  {
    // Lambda's runtime client logs the whole error: type, message, code, its own enumerable properties, the stack.
    name: 'invoke-error-record-own-properties',
    files: {
      'index.js': "exports.handler = async () => { throw Object.assign(new Error('denied'), { code: 'E_DENIED', status: 403, detail: { tries: 2 } }); };",
    },
    invocations: [
      {
        payload: { errorType: 'Error', errorMessage: 'denied' },
        functionError: 'Unhandled',
        logs: [/\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"denied","code":"E_DENIED","status":403,"detail":\{"tries":2\},"stack":\["Error: denied"," {4}at [^"]*\/var\/task\/index\.js:1:/],
      },
    ],
  },
  { name: 'thrown-object', files: { 'index.js': 'exports.handler = async () => { throw { code: 42 }; };' }, invocations: [{ payload: { errorType: 'object', errorMessage: '[object Object]', trace: [] }, functionError: 'Unhandled' }] },
  { name: 'thrown-null-is-handled', files: { 'index.js': 'exports.handler = async () => { throw null; };' }, invocations: [{ payload: { errorType: 'string', errorMessage: 'handled', trace: [] }, functionError: 'Unhandled' }] },
  { name: 'sync-throw', files: { 'index.js': 'exports.handler = (event) => event.missing.field;' }, invocations: [err('TypeError')] },
  {
    name: 'init-error-retried',
    files: { 'index.js': "throw new Error('init failed');\nexports.handler = async () => 1;" },
    invocations: [
      { ...err('Error', 'init failed'), logs: [/Uncaught Exception \t\{"errorType":"Error","errorMessage":"init failed"/] },
      { ...err('Error', 'init failed'), logs: [/Uncaught Exception/] },
    ],
  },
  {
    name: 'timeout',
    timeoutSec: 1,
    files: { 'index.js': 'exports.handler = async () => { setInterval(() => {}, 100); await new Promise(() => {}); };' },
    invocations: [
      {
        // Lambda's payload names the request; its log line is "<time> <id> Task timed out after 1.00 seconds".
        payload: { errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/) as unknown },
        functionError: 'Unhandled',
        logs: [/\n\d{4}-\d\d-\d\dT[\d:.]+Z [0-9a-f-]{36} Task timed out after 1\.00 seconds\n/, /\tInit Duration: \d+\.\d{2} ms\tStatus: timeout\n$/],
      },
    ],
  },
  {
    name: 'unhandled-rejection-in-background',
    files: { 'index.js': "exports.handler = async () => { Promise.reject(new Error('background')); await new Promise((r) => setTimeout(r, 20)); return 'done'; };" },
    invocations: [{ ...err('Runtime.UnhandledPromiseRejection', 'Error: background'), logs: [/Unhandled Promise Rejection/] }],
  },
  {
    name: 'uncaught-exception-in-timer',
    files: { 'index.js': "exports.handler = async () => { setTimeout(() => { throw new RangeError('in timer'); }, 5); await new Promise((r) => setTimeout(r, 50)); return 'done'; };" },
    invocations: [err('RangeError', 'in timer')],
  },
  {
    name: 'response-too-large',
    files: { 'index.js': "exports.handler = async () => 'x'.repeat(7 * 1024 * 1024);" },
    memorySizeMb: 256,
    invocations: [{ payload: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' }, functionError: 'Unhandled' }],
  },

  // --- logs ----------------------------------------------------------------------------------
  {
    name: 'console-levels-and-format',
    files: {
      'index.js': [
        'exports.handler = async () => {',
        "  console.log('a %s %d %j', 'str', 42, { k: 1 });",
        "  console.info('info %o', [1, 'two']);",
        "  console.warn('careful');",
        "  console.error('broken', 7);",
        "  console.debug('details');",
        "  console.log({ a: { b: { c: { d: 1 } } }, s: 'q' });",
        "  console.log('100%% sure', 'extra');",
        '};',
      ].join('\n'),
    },
    invocations: [
      {
        payload: null,
        functionError: '',
        logs: [
          /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\tINFO\ta str 42 \{"k":1\}\n/,
          /\tINFO\tinfo \[ 1, 'two', \[length\]: 2 \]\n|\tINFO\tinfo \[ 1, 'two' \]\n/,
          /\tWARN\tcareful\n/,
          /\tERROR\tbroken 7\n/,
          /\tDEBUG\tdetails\n/,
          /\tINFO\t\{ a: \{ b: \{ c: \[Object\] \} \}, s: 'q' \}\n/,
          /\tINFO\t100% sure extra\n/,
        ],
      },
    ],
  },
  {
    // Lambda's runtime client replaces log, info, warn, error, debug, trace and fatal with one record of
    // util.format(...) each: console.trace has no stack, a call without arguments logs "undefined". What it leaves
    // to Node: assert warns through console.warn, dir writes a raw line to stdout, group does not indent.
    name: 'console-methods-as-lambda-leaves-them',
    files: {
      'index.js': [
        'exports.handler = async () => {',
        "  console.trace('where %s', 'here');",
        '  console.log();',
        "  console.assert(1 === 2, 'not %d', 2);",
        "  console.assert(true, 'never');",
        '  console.dir({ nested: { deep: { deeper: { deepest: 1 } } } });',
        "  console.group('outer');",
        "  console.log('inside');",
        '  console.groupEnd();',
        "  console.count('calls');",
        "  console.log('two\\nlines');",
        '};',
      ].join('\n'),
    },
    invocations: [
      {
        payload: null,
        functionError: '',
        logs: [
          /\tTRACE\twhere here\n\d{4}-/,
          /\tINFO\tundefined\n/,
          /\tWARN\tAssertion failed: not 2\n/,
          /\n\{ nested: \{ deep: \{ deeper: \[Object\] \} \} \}\n/,
          /\tINFO\touter\n[^\n]*\tINFO\tinside\n/,
          /\tINFO\tcalls: 1\n/,
          /\tINFO\ttwo\nlines\n/,
        ],
        noLogs: [/Trace:/, /never/, / {2}inside/],
      },
    ],
  },
  {
    // Lambda freezes the environment when an async handler returns: a timer still pending does not run in between,
    // and runs once the next invocation thaws it (here during that invocation's own 50 ms wait).
    name: 'timers-frozen-until-next-invocation',
    files: {
      'index.js': `let calls = 0;
      const fired = [];
      exports.handler = async () => {
        calls += 1;
        const call = calls;
        await new Promise((resolve) => setTimeout(resolve, 50));
        const seen = fired.slice();
        setTimeout(() => fired.push(call), 20);
        return seen;
      };`,
    },
    invocations: [ok([]), ok([1]), ok([1, 2])],
  },
  {
    name: 'start-end-report-lines',
    files: { 'index.js': 'exports.handler = async () => 1;' },
    memorySizeMb: 192,
    invocations: [
      {
        payload: 1,
        functionError: '',
        logs: [
          /START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/,
          /END RequestId: [0-9a-f-]{36}\n/,
          /REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 192 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms\t\n$/,
          // A cold start begins with the runtime's version, as Lambda's INIT_START does.
          /^INIT_START Runtime Version: nodejs:20\.v\d+\tRuntime Version ARN: arn:aws:lambda:[a-z0-9-]+::runtime:[0-9a-f]{64}\nSTART RequestId: /,
        ],
      },
      {
        payload: 1,
        functionError: '',
        logs: [/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/, /\tMax Memory Used: \d+ MB\t\n$/],
        noLogs: [/INIT_START/, /Init Duration/],
      },
    ],
  },
  {
    // Lambda writes INIT_REPORT for a failed init, with the error type scrubbed to Runtime.Unknown unless it is Runtime.*,
    // and the invocation's REPORT carries the status instead of an Init Duration.
    name: 'init-report-on-init-error',
    files: { 'index.js': "console.log('loading');\nthrow new Error('no config');\nexports.handler = async () => 1;" },
    invocations: [
      {
        functionError: 'Unhandled',
        payloadMatch: { errorType: 'Error', errorMessage: 'no config' },
        logs: [
          /^INIT_START Runtime Version: nodejs:20\.v\d+\t/,
          /\tundefined\tINFO\tloading\n[^\n]*\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"no config"/,
          /\nINIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: init\tStatus: error\tError Type: Runtime\.Unknown\nSTART RequestId: /,
          /\tMax Memory Used: \d+ MB\tStatus: error\tError Type: Runtime\.Unknown\n$/,
        ],
        noLogs: [/Init Duration: [\d.]+ ms\tStatus/],
      },
    ],
  },
  {
    name: 'init-report-keeps-runtime-error-types',
    handler: 'index.missing',
    files: { 'index.js': 'exports.handler = async () => 1;' },
    invocations: [
      {
        functionError: 'Unhandled',
        payloadMatch: { errorType: 'Runtime.HandlerNotFound' },
        logs: [/\nINIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: init\tStatus: error\tError Type: Runtime\.HandlerNotFound\n/, /\tStatus: error\tError Type: Runtime\.HandlerNotFound\n$/],
      },
    ],
  },
  {
    // Lambda's JSON log format: one JSON object per record; platform events as platform.* at the default system level (INFO).
    name: 'logging-json',
    logging: { logFormat: 'JSON' },
    files: { 'index.js': "exports.handler = async () => { console.info('hi', 2); console.debug('hidden at INFO'); return process.env.AWS_LAMBDA_LOG_FORMAT; };" },
    invocations: [
      {
        payload: 'JSON',
        functionError: '',
        logs: [
          /^\{"time":"[^"]+","type":"platform\.initStart","record":\{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs:20\.v\d+"/,
          /\n\{"time":"[^"]+","type":"platform\.start","record":\{"requestId":"[0-9a-f-]{36}","version":"\$LATEST"\}\}\n/,
          /\n\{"timestamp":"[^"]+","level":"INFO","requestId":"[0-9a-f-]{36}","message":"hi 2"\}\n/,
          /\n\{"time":"[^"]+","type":"platform\.report","record":\{"requestId":"[0-9a-f-]{36}","metrics":\{"durationMs":[\d.]+,"billedDurationMs":\d+,"memorySizeMB":128,"maxMemoryUsedMB":\d+,"initDurationMs":[\d.]+\},"status":"success"\}\}\n$/,
        ],
        noLogs: [/platform\.runtimeDone/, /START RequestId/],
      },
    ],
  },
  {
    // Lambda's runtime client: levels below ApplicationLogLevel are dropped; one argument is the message as it is
    // (an error as {errorType, errorMessage, stackTrace}); several are formatted, the first error also given apart.
    name: 'logging-json-application-levels',
    logging: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' },
    files: {
      'index.js': `exports.handler = async () => {
        console.debug('not this'); console.info('nor this'); console.log('nor this either');
        console.warn({ order: 7, items: ['a'] });
        console.error(new TypeError('bad input'));
        console.error('failed:', new RangeError('too far'));
        console.fatal('the end');
        return process.env.AWS_LAMBDA_LOG_LEVEL;
      };`,
    },
    invocations: [
      {
        payload: 'WARN',
        functionError: '',
        logs: [
          /^\{"timestamp":"[^"]+","level":"WARN","requestId":"[0-9a-f-]{36}","message":\{"order":7,"items":\["a"\]\}\}\n/,
          /\n\{"timestamp":"[^"]+","level":"ERROR","requestId":"[0-9a-f-]{36}","message":\{"errorType":"TypeError","errorMessage":"bad input","stackTrace":\["TypeError: bad input"," {4}at /,
          /\n\{"timestamp":"[^"]+","level":"ERROR","requestId":"[0-9a-f-]{36}","message":"failed: RangeError: too far\\n {4}at [^"]*","errorType":"RangeError","errorMessage":"too far","stackTrace":\["RangeError: too far",/,
          /\n\{"timestamp":"[^"]+","level":"FATAL","requestId":"[0-9a-f-]{36}","message":"the end"\}\n$/,
        ],
        noLogs: [/not this|nor this/, /"level":"(INFO|DEBUG)"/],
      },
    ],
  },
  {
    name: 'logging-json-invoke-error',
    logging: { logFormat: 'JSON' },
    files: { 'index.js': "exports.handler = async () => { throw new Error('handler failed'); };" },
    invocations: [
      {
        functionError: 'Unhandled',
        payloadMatch: { errorType: 'Error', errorMessage: 'handler failed' },
        logs: [/\n\{"timestamp":"[^"]+","level":"ERROR","requestId":"[0-9a-f-]{36}","message":\{"errorType":"Error","errorMessage":"handler failed","stackTrace":\["Error: handler failed",/],
      },
    ],
  },
  {
    // Lambda sets _X_AMZN_TRACE_ID per invocation (not during init), Sampled=0 without active tracing.
    name: 'trace-id-per-invocation',
    files: {
      'index.js': `const atInit = typeof process.env._X_AMZN_TRACE_ID;
        let last;
        exports.handler = async () => {
          const id = process.env._X_AMZN_TRACE_ID;
          const changed = last !== undefined && last !== id;
          last = id;
          return { atInit, valid: /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/.test(id), changed };
        };`,
    },
    invocations: [ok({ atInit: 'undefined', valid: true, changed: false }), ok({ atInit: 'undefined', valid: true, changed: true })],
  },
  {
    name: 'logging-json-system-warn',
    logging: { logFormat: 'JSON', systemLogLevel: 'WARN' },
    files: { 'index.js': "exports.handler = async () => { console.warn('only me'); return 1; };" },
    invocations: [{ payload: 1, functionError: '', logs: [/^\{"timestamp":"[^"]+","level":"WARN","requestId":"[0-9a-f-]{36}","message":"only me"\}\n$/] }],
  },

  // --- what runs inside ------------------------------------------------------------------------
  {
    name: 'process-env',
    memorySizeMb: 256,
    environment: { STAGE: 'test' },
    files: {
      'index.js': `exports.handler = async () => {
        const e = process.env;
        return { STAGE: e.STAGE, name: e.AWS_LAMBDA_FUNCTION_NAME, version: e.AWS_LAMBDA_FUNCTION_VERSION, memory: e.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
          handler: e._HANDLER, region: typeof e.AWS_REGION, group: e.AWS_LAMBDA_LOG_GROUP_NAME, stream: typeof e.AWS_LAMBDA_LOG_STREAM_NAME,
          tz: e.TZ, root: e.LAMBDA_TASK_ROOT, exec: e.AWS_EXECUTION_ENV, lang: e.LANG, runtimeDir: e.LAMBDA_RUNTIME_DIR, nodePath: e.NODE_PATH,
          init: e.AWS_LAMBDA_INITIALIZATION_TYPE, defaultRegion: e.AWS_DEFAULT_REGION === e.AWS_REGION };
      };`,
    },
    invocations: [
      ok({
        STAGE: 'test', name: 'conf-process-env', version: '$LATEST', memory: '256', handler: 'index.handler', region: 'string',
        group: '/aws/lambda/conf-process-env', stream: 'string', tz: ':UTC', root: '/var/task', exec: 'AWS_Lambda_nodejs20.x',
        lang: 'en_US.UTF-8', runtimeDir: '/var/runtime', init: 'on-demand', defaultRegion: true,
        nodePath: '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
      }),
    ],
  },
  {
    // Lambda lets a function set its unreserved variables (TZ, LANG, NODE_PATH, PATH).
    name: 'process-env-unreserved-overrides',
    environment: { TZ: 'Europe/Paris', LANG: 'C.UTF-8' },
    files: { 'index.js': 'exports.handler = async () => ({ tz: process.env.TZ, lang: process.env.LANG });' },
    invocations: [ok({ tz: 'Europe/Paris', lang: 'C.UTF-8' })],
  },
  {
    name: 'process-env-reserved-refused',
    environment: { AWS_REGION: 'eu-west-1', AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001', STAGE: 'ok' },
    files: { 'index.js': 'exports.handler = async () => 1;' },
    deployError:
      /^Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification\. Reserved keys used in this request: AWS_REGION, AWS_LAMBDA_RUNTIME_API$/,
  },
  {
    name: 'context-fields',
    files: {
      'index.js': `exports.handler = async (event, context) => ({
        awsRequestId: typeof context.awsRequestId, functionName: context.functionName, functionVersion: context.functionVersion,
        invokedFunctionArn: /^arn:aws:lambda:[^:]+:\\d+:function:conf-context-fields$/.test(context.invokedFunctionArn),
        memoryLimitInMB: context.memoryLimitInMB, logGroupName: context.logGroupName, logStreamName: typeof context.logStreamName,
        remaining: typeof context.getRemainingTimeInMillis(), waits: context.callbackWaitsForEmptyEventLoop,
        identity: typeof context.identity, clientContext: typeof context.clientContext,
        succeed: typeof context.succeed, fail: typeof context.fail, done: typeof context.done,
      });`,
    },
    invocations: [
      ok({
        awsRequestId: 'string', functionName: 'conf-context-fields', functionVersion: '$LATEST', invokedFunctionArn: true, memoryLimitInMB: '128',
        logGroupName: '/aws/lambda/conf-context-fields', logStreamName: 'string', remaining: 'number', waits: true, identity: 'undefined',
        clientContext: 'undefined', succeed: 'function', fail: 'function', done: 'function',
      }),
    ],
  },
  {
    name: 'web-globals',
    files: {
      'index.js': `exports.handler = async () => {
        const ac = new AbortController(); ac.abort();
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => queueMicrotask(r));
        return {
          text: new TextDecoder().decode(new TextEncoder().encode('héllo')),
          url: new URL('https://example.com/a/b?x=1&y=2').searchParams.get('y'),
          params: new URLSearchParams({ a: '1', b: 'two words' }).toString(),
          b64: [btoa('hi'), atob('aGk=')],
          clone: structuredClone({ d: new Date(0), m: new Map([[1, 2]]) }).m.get(1),
          aborted: ac.signal.aborted,
          now: typeof performance.now(),
          uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
          random: crypto.getRandomValues(new Uint8Array(4)).length,
          buffer: Buffer.from('hi').toString('hex'),
        };
      };`,
    },
    invocations: [ok({ text: 'héllo', url: '2', params: 'a=1&b=two+words', b64: ['aGk=', 'hi'], clone: 2, aborted: true, now: 'number', uuid: true, random: 4, buffer: '6869' })],
  },
  {
    // Stratus: outbound requests are the node's, under the function's egress policy; the default refuses the
    // link-local metadata address (and loopback, private ranges, the cluster's services) as Node refuses a port
    // nobody listens on, with a message that names the policy. Nothing leaves the machine.
    name: 'fetch-egress-default-policy',
    files: {
      'index.js': `exports.handler = async () => {
        try { await fetch('http://169.254.169.254/latest/meta-data/'); return 'fetched'; }
        catch (e) { return { message: e.message, code: e.cause.code, cause: e.cause.message }; }
      };`,
    },
    invocations: [
      ok({
        message: 'fetch failed',
        code: 'ECONNREFUSED',
        cause:
          "connect ECONNREFUSED 169.254.169.254:80 (refused by the function's egress policy: link-local addresses (cloud metadata services live here) are not allowed by default; to allow it, deploy with --egress-allow 169.254.169.254:80)",
      }),
    ],
  },
  {
    // Libraries import http, https, net and http2 at module scope; http.request runs on the same host path.
    name: 'http-modules-load',
    files: {
      'index.js': `const http = require('http'); const https = require('node:https'); const net = require('net'); require('http2');
      exports.handler = async () => {
        const refused = await new Promise((resolve) => {
          const req = http.get('http://10.1.2.3:8080/x', () => resolve('answered'));
          req.on('error', (e) => resolve(e.code + ' ' + e.syscall));
        });
        return { agent: typeof https.Agent, get: typeof http.get, ip: [net.isIP('10.0.0.1'), net.isIP('::1'), net.isIP('x')], ok: http.STATUS_CODES[200], refused };
      };`,
    },
    invocations: [ok({ agent: 'function', get: 'function', ip: [4, 6, 0], ok: 'OK', refused: 'ECONNREFUSED connect' })],
  },
  {
    name: 'crypto-module',
    files: {
      'index.js': `const crypto = require('node:crypto');
      exports.handler = async () => ({
        sha256: crypto.createHash('sha256').update('abc').digest('hex'),
        md5: crypto.createHash('md5').update('a').update('bc').digest('base64'),
        hmac: crypto.createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex'),
        random: crypto.randomBytes(16).length,
        uuid: crypto.randomUUID().length,
        equal: crypto.timingSafeEqual(Buffer.from('a'), Buffer.from('a')),
      });`,
    },
    invocations: [
      ok({
        sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', md5: 'kAFQmDzST7DWlj99KOF/cg==',
        hmac: 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8', random: 16, uuid: 36, equal: true,
      }),
    ],
  },
  {
    name: 'node-builtins',
    files: {
      'index.mjs': `import util from 'node:util'; import path from 'path'; import qs from 'querystring'; import { EventEmitter } from 'events';
      import zlib from 'zlib'; import assert from 'assert'; import { StringDecoder } from 'string_decoder'; import url from 'url'; import { Buffer } from 'buffer';
      export const handler = async () => {
        const e = new EventEmitter(); let got; e.on('x', (v) => { got = v; }); e.emit('x', 'event');
        const zipped = await util.promisify(zlib.gzip)('zlib ok');
        let assertion; try { assert.deepStrictEqual({ a: 1 }, { a: 2 }); } catch (err) { assertion = err.code; }
        return {
          format: util.format('%s=%d', 'n', 5), path: path.join('/a', 'b', '../c'), qs: qs.stringify({ a: 1, b: 'x y' }), got,
          zlib: zlib.gunzipSync(zipped).toString(), assertion, decoded: new StringDecoder('utf8').write(Buffer.from('hé')),
          url: url.parse('http://a.com/p?q=1').pathname, inspect: util.inspect({ a: [1] }),
        };
      };`,
    },
    invocations: [ok({ format: 'n=5', path: '/a/c', qs: 'a=1&b=x%20y', got: 'event', zlib: 'zlib ok', assertion: 'ERR_ASSERTION', decoded: 'hé', url: '/p', inspect: '{ a: [ 1 ] }' })],
  },
  {
    name: 'unsupported-builtin',
    files: { 'index.js': "const cp = require('child_process');\nexports.handler = async () => cp.execSync('cat /etc/passwd').toString();" },
    invocations: [
      {
        functionError: 'Unhandled',
        payloadMatch: { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'child_process': the Node.js built-in module 'child_process' is not available in Stratus" },
      },
    ],
  },
  {
    // Stratus: the file system holds the package and /tmp only; nothing of the host is there to read.
    name: 'files-host-unreachable',
    files: { 'index.js': "const fs = require('fs');\nexports.handler = async () => fs.readFileSync(__dirname + '/../../etc/passwd', 'utf8');" },
    invocations: [{ functionError: 'Unhandled', payloadMatch: { errorType: 'Error', errorMessage: "ENOENT: no such file or directory, open '/etc/passwd'" } }],
  },

  // --- crypto, util and process beyond hashes (computed by the host, off its main thread) --------------
  {
    // An RS256 authorizer's path: jsonwebtoken loads stream before util (the circular require through `inherits`),
    // then signs with crypto.createSign and verifies with createVerify and createPublicKey.
    name: 'jsonwebtoken-rs256',
    files: {
      'index.js': `const jwt = require('jsonwebtoken');
      exports.handler = async (event) => {
        const token = jwt.sign({ sub: 'user-1', scope: 'read' }, event.privateKey, { algorithm: 'RS256', expiresIn: '5m', noTimestamp: true });
        const claims = jwt.verify(token, event.publicKey, { algorithms: ['RS256'] });
        let forged;
        try { jwt.verify(token.slice(0, -4) + 'AAAA', event.publicKey, { algorithms: ['RS256'] }); } catch (err) { forged = err.message; }
        return { parts: token.split('.').length, sub: claims.sub, scope: claims.scope, forged, inherits: typeof require('util').inherits };
      };`,
      ...npmPackageFiles('jsonwebtoken'),
    },
    event: { privateKey: TEST_RSA_KEYS.privateKey, publicKey: TEST_RSA_KEYS.publicKey },
    invocations: [ok({ parts: 3, sub: 'user-1', scope: 'read', forged: 'invalid signature', inherits: 'function' })],
  },
  {
    name: 'promisify-set-timeout',
    files: {
      'index.js': `const { promisify } = require('util');
      const sleep = promisify(setTimeout);
      const tick = promisify(setImmediate);
      exports.handler = async () => [await sleep(5, 'slept'), await tick('ticked')];`,
    },
    invocations: [ok(['slept', 'ticked'])],
  },
  {
    // The most common shape of a web API on Lambda: an express app behind serverless-http, answering an API Gateway
    // (REST, v1) event. express loads http, net, fs and crypto at import time; serverless-http builds its request and
    // response on http.IncomingMessage and http.ServerResponse, which collect the answer without any socket.
    name: 'express-serverless-http',
    files: {
      'index.js': `const serverless = require('serverless-http');
      const express = require('express');
      const app = express();
      app.use(express.json());
      app.get('/users/:id', (req, res) => res.set('x-user', req.params.id).json({ id: req.params.id, q: req.query.q, ip: req.ip }));
      app.post('/echo', (req, res) => res.status(201).send({ got: req.body }));
      app.use((req, res) => res.status(404).send('no route ' + req.path));
      exports.handler = serverless(app);`,
      ...npmPackageFiles('express', 'serverless-http'),
    },
    event: {
      resource: '/{proxy+}', path: '/users/42', httpMethod: 'GET', headers: { Host: 'api.example.com', Accept: 'application/json' },
      multiValueHeaders: { Host: ['api.example.com'], Accept: ['application/json'] }, queryStringParameters: { q: 'find' },
      multiValueQueryStringParameters: { q: ['find'] }, pathParameters: { proxy: 'users/42' }, stageVariables: null,
      requestContext: { identity: { sourceIp: '203.0.113.9' }, stage: 'prod', requestId: 'r-1' }, body: null, isBase64Encoded: false,
    },
    invocations: [
      {
        functionError: '',
        payloadMatch: {
          statusCode: 200,
          headers: expect.objectContaining({ 'x-user': '42', 'content-type': 'application/json; charset=utf-8', 'x-powered-by': 'Express' }) as unknown,
          body: '{"id":"42","q":"find","ip":"203.0.113.9"}',
          isBase64Encoded: false,
        },
      },
    ],
  },
  {
    // The same app, a POST with a JSON body and a route nobody has: body parsing, status codes, a text answer.
    name: 'express-serverless-http-post',
    files: {
      'index.js': `const serverless = require('serverless-http');
      const express = require('express');
      const app = express();
      app.use(express.json());
      app.post('/echo', (req, res) => res.status(201).send({ got: req.body }));
      app.use((req, res) => res.status(404).send('no route ' + req.path));
      const handler = serverless(app);
      exports.handler = async (event, context) => {
        const posted = await handler(event, context);
        const missing = await handler({ ...event, path: '/nowhere', httpMethod: 'GET', body: null, headers: {}, multiValueHeaders: {} }, context);
        return { posted: { statusCode: posted.statusCode, body: posted.body }, missing: { statusCode: missing.statusCode, body: missing.body } };
      };`,
      ...npmPackageFiles('express', 'serverless-http'),
    },
    event: {
      resource: '/{proxy+}', path: '/echo', httpMethod: 'POST', headers: { 'Content-Type': 'application/json' },
      multiValueHeaders: { 'Content-Type': ['application/json'] }, queryStringParameters: null, multiValueQueryStringParameters: null,
      requestContext: { identity: { sourceIp: '203.0.113.9' } }, body: '{"name":"Ada"}', isBase64Encoded: false,
    },
    invocations: [ok({ posted: { statusCode: 201, body: '{"got":{"name":"Ada"}}' }, missing: { statusCode: 404, body: 'no route /nowhere' } })],
  },
  {
    // node-postgres as shipped (pg 8, without pg-native): it loads, builds its client and parses a connection
    // string; pg.native is reached only when asked for and then fails as Node fails it (pg's own getter catches
    // a missing pg-native and answers null). No TCP connection is made: raw sockets are not available.
    name: 'pg-without-pg-native',
    files: {
      'index.js': `const pg = require('pg');
      exports.handler = async () => {
        const client = new pg.Client({ connectionString: 'postgres://app:secret@db.internal:5433/orders' });
        const failed = await client.connect().then(() => 'connected', (err) => err.code);
        return { user: client.user, host: client.host, port: client.port, database: client.database, pool: typeof pg.Pool, native: pg.native, failed };
      };`,
      ...npmPackageFiles('pg'),
    },
    invocations: [ok({ user: 'app', host: 'db.internal', port: 5433, database: 'orders', pool: 'function', native: null, failed: 'ERR_NOT_SUPPORTED' })],
  },
  {
    name: 'process-exit',
    files: { 'index.js': "let calls = 0;\nexports.handler = async () => { calls += 1; if (calls === 1) process.exit(2); return calls; };" },
    // The environment is discarded: the second call starts a fresh one, whose module state starts again (a reused
    // one would answer 2).
    invocations: [EXITED_2, EXITED_2],
  },
  {
    name: 'cipher-round-trip',
    files: {
      'index.js': `const crypto = require('crypto');
      exports.handler = async () => {
        const key = crypto.scryptSync('passphrase', 'salt', 32);
        const iv = Buffer.alloc(12, 1);
        const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
        const sealed = Buffer.concat([cipher.update('attack at dawn', 'utf8'), cipher.final()]);
        const tag = cipher.getAuthTag();
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        const opened = decipher.update(sealed, undefined, 'utf8') + decipher.final('utf8');
        const cbcKey = crypto.pbkdf2Sync('pw', 'salt', 1000, 16, 'sha256');
        const cbc = crypto.createCipheriv('aes-128-cbc', cbcKey, Buffer.alloc(16));
        const cbcText = cbc.update('hello', 'utf8', 'hex') + cbc.final('hex');
        const back = crypto.createDecipheriv('aes-128-cbc', cbcKey, Buffer.alloc(16));
        let tampered;
        try { const d = crypto.createDecipheriv('aes-256-gcm', key, iv); d.setAuthTag(Buffer.alloc(16)); d.update(sealed); d.final(); } catch (err) { tampered = err.message; }
        return { opened, tagBytes: tag.length, cbc: back.update(cbcText, 'hex', 'utf8') + back.final('utf8'), tampered };
      };`,
    },
    invocations: [ok({ opened: 'attack at dawn', tagBytes: 16, cbc: 'hello', tampered: 'Unsupported state or unable to authenticate data' })],
  },

  // --- hostile code ----------------------------------------------------------------------------
  {
    name: 'escape-function-constructor',
    files: {
      'index.js': `exports.handler = async function () {
        const p = this === undefined ? globalThis.constructor.constructor('return process')() : this.constructor.constructor('return process')();
        const g = (function () { return this; }).constructor('return this')();
        return { binding: typeof p.binding, mainModule: typeof p.mainModule, dlopen: typeof p.dlopen, require: typeof g.require,
          module: typeof g.module, ivm: typeof g._ivm, hostKeys: Object.getOwnPropertyNames(g).filter((k) => /^(_?ivm|host\\w*|Reference|ExternalCopy|Callback|Isolate|Context)$/i.test(k)) };
      };`,
    },
    invocations: [ok({ binding: 'undefined', mainModule: 'undefined', dlopen: 'undefined', require: 'undefined', module: 'undefined', ivm: 'undefined', hostKeys: [] })],
  },
  {
    name: 'escape-stack-trace-frames',
    files: {
      'index.js': `exports.handler = async () => {
        Error.prepareStackTrace = (e, frames) => frames.map((f) => [typeof f.getThis(), typeof f.getFunction()]);
        const frames = new Error().stack;
        return frames.every(([self, fn]) => self === 'undefined' && fn === 'undefined') || frames;
      };`,
    },
    invocations: [ok(true)],
  },
  // --- files: /var/task holds the package, /tmp is writable (issue 14) ----------------------
  {
    // The most common real line: a template shipped beside the handler.
    name: 'files-template-beside-handler',
    files: {
      'index.js': [
        "const fs = require('fs');",
        "const path = require('path');",
        "exports.handler = async (event) => fs.readFileSync(path.join(__dirname, 'template.html'), 'utf8').replace('{{name}}', event.name);",
      ].join('\n'),
      'template.html': '<h1>Hello {{name}}</h1>',
    },
    event: { name: 'Ada' },
    invocations: [ok('<h1>Hello Ada</h1>')],
  },
  {
    name: 'files-paths-are-lambdas',
    handler: 'src/app.handler',
    files: {
      'src/app.js': [
        "const fs = require('fs');",
        'exports.handler = async () => ({',
        '  dirname: __dirname, filename: __filename, cwd: process.cwd(),',
        "  root: fs.readdirSync('/var/task'), src: fs.readdirSync('/var/task/src', { withFileTypes: true }).map((d) => [d.name, d.isDirectory()]),",
        "  opt: fs.readdirSync('/opt'), config: JSON.parse(fs.readFileSync('config.json', 'utf8')), size: fs.statSync('/var/task/config.json').size,",
        '});',
      ].join('\n'),
      'src/views/page.html': '<p>',
      'config.json': '{"stage":"prod"}',
    },
    // Stratus: code is bundled, so /var/task lists the package's other files (code is not carried).
    invocations: [
      ok({
        dirname: '/var/task/src',
        filename: '/var/task/src/app.js',
        cwd: '/var/task',
        root: ['config.json', 'src'],
        src: [['views', true]],
        opt: [],
        config: { stage: 'prod' },
        size: 16,
      }),
    ],
  },
  {
    name: 'files-esm-import-meta',
    files: {
      'index.mjs': [
        "import { readFile } from 'node:fs/promises';",
        'export const handler = async () => ({',
        '  url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename, require: typeof require,',
        "  data: JSON.parse(await readFile(new URL('./data.json', import.meta.url), 'utf8')),",
        '});',
      ].join('\n'),
      'data.json': '{"n":1}',
    },
    invocations: [ok({ url: 'file:///var/task/index.mjs', dirname: '/var/task', filename: '/var/task/index.mjs', require: 'undefined', data: { n: 1 } })],
  },
  {
    name: 'files-tmp-persists-while-warm',
    files: {
      'index.js': [
        "const fs = require('fs');",
        'exports.handler = async () => {',
        "  const before = fs.readdirSync('/tmp');",
        "  const count = fs.existsSync('/tmp/count.txt') ? Number(fs.readFileSync('/tmp/count.txt', 'utf8')) + 1 : 1;",
        "  fs.writeFileSync('/tmp/count.txt', String(count));",
        '  return { before, count };',
        '};',
      ].join('\n'),
    },
    invocations: [ok({ before: [], count: 1 }), ok({ before: ['count.txt'], count: 2 })],
  },
  {
    name: 'files-var-task-read-only',
    files: {
      'index.js': [
        "const fs = require('fs');",
        'exports.handler = async () => {',
        "  try { fs.writeFileSync(__dirname + '/template.html', 'changed'); return 'written'; }",
        '  catch (err) { return { code: err.code, errno: err.errno, syscall: err.syscall, path: err.path, message: err.message, kept: fs.readFileSync(__dirname + "/template.html", "utf8") }; }',
        '};',
      ].join('\n'),
      'template.html': 'original',
    },
    invocations: [
      ok({ code: 'EROFS', errno: -30, syscall: 'open', path: '/var/task/template.html', message: "EROFS: read-only file system, open '/var/task/template.html'", kept: 'original' }),
    ],
  },
  {
    name: 'files-missing-file-and-unprovided-call',
    files: {
      'index.js': [
        "const fs = require('fs');",
        'exports.handler = async () => {',
        '  const caught = (fn) => { try { fn(); return null; } catch (err) { return [err.code, err.message]; } };',
        "  return { missing: caught(() => fs.readFileSync('/var/task/x')), watch: caught(() => fs.watch('/tmp')) };",
        '};',
      ].join('\n'),
    },
    invocations: [
      ok({
        missing: ['ENOENT', "ENOENT: no such file or directory, open '/var/task/x'"],
        watch: ['ENOSYS', "ENOSYS: function not implemented, watch '/tmp'"],
      }),
    ],
  },
  {
    name: 'escape-import-runtime',
    files: { 'index.mjs': "import * as rt from 'stratus:runtime';\nexport const handler = async () => Object.keys(rt);" },
    deployError: /stratus:runtime/,
  },
  {
    name: 'infinite-loop',
    timeoutSec: 1,
    files: { 'index.js': 'exports.handler = () => { for (;;) {} };' },
    invocations: [{ payloadMatch: { errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/ Error: Task timed out after 1\.00 seconds$/) as unknown }, functionError: 'Unhandled' }],
    nodeStillServes: true,
  },
  {
    name: 'memory-bomb',
    files: { 'index.js': 'exports.handler = async () => { const hoard = []; for (;;) hoard.push(new Array(100000).fill(hoard.length)); };' },
    invocations: [{ functionError: 'Unhandled', payloadMatch: { errorType: 'Runtime.OutOfMemory' } }],
    nodeStillServes: true,
  },
  {
    name: 'huge-log-output',
    files: { 'index.js': "exports.handler = async () => { const line = 'x'.repeat(1000); for (let i = 0; i < 20000; i++) console.log(line); return 'survived'; };" },
    invocations: [{ payload: 'survived', functionError: '', logs: [/log lines dropped/, /REPORT RequestId/] }],
    nodeStillServes: true,
  },
];
