import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { BundleSourceMap } from '../src/bundle-source-map.js';
import { PackageFiles } from '../src/package-files.js';
import { invoke, parsed, useEnvironments } from './fixtures.js';

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

describe('init errors', () => {
  const create = useEnvironments();

  /** Lambda reports init errors on the invocation, then the environment is retired. */
  async function initError(script: string, handler = 'index.handler'): Promise<ErrorPayload> {
    const env = await create(script, { handler });
    expect(env.usable).toBe(true);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('function_error');
    expect(outcome.functionError).toBe('Unhandled');
    expect(outcome.initDurationMs).toBe(env.initDurationMs);
    const error = parsed(outcome) as ErrorPayload;
    expect(outcome.logs).toContain(`Uncaught Exception \t{"errorType":"${error.errorType}"`);
    // Lambda names Runtime.* types as they are and any other type Runtime.Unknown.
    expect(outcome.report).toContain(`Status: error\tError Type: ${error.errorType.startsWith('Runtime.') ? error.errorType : 'Runtime.Unknown'}`);
    expect(env.usable).toBe(false);
    const again = await invoke(env).catch((e: unknown) => e);
    expect(hasCode(again, 'INTERNAL')).toBe(true);
    return error;
  }

  it('reports a syntax error as Runtime.UserCodeSyntaxError', async () => {
    const error = await initError(`export const handler = async (event) => { return event.; };`);
    expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(error.errorMessage).toMatch(/^SyntaxError: Unexpected token/);
    expect(error.trace?.join('\n')).toContain('file:///var/task/index.mjs:1:');
  });

  it('reports an import left in the bundle as Runtime.ImportModuleError', async () => {
    const error = await initError(`import { readFileSync } from 'fs'; export const handler = async () => readFileSync('/etc/passwd', 'utf8');`);
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toMatch(/^Error: Cannot find module 'fs'/);
    expect(error.errorMessage).toContain('not available');
  });

  it('does not let the bundle import the runtime itself', async () => {
    const error = await initError(`import { invoke } from 'stratus:runtime'; export const handler = invoke;`);
    expect(error.errorType).toBe('Runtime.ImportModuleError');
  });

  it('reports a missing handler as Runtime.HandlerNotFound', async () => {
    const error = await initError(`export const other = async () => 1;`);
    expect(error).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
    const notFunction = await initError(`export const handler = 42;`);
    expect(notFunction).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is not a function' });
  });

  it('reports a malformed handler string as Runtime.MalformedHandlerName "Bad handler", as Lambda', async () => {
    const error = await initError(`export const handler = async () => 1;`, 'index');
    expect(error).toEqual({ errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler', trace: ['Runtime.MalformedHandlerName: Bad handler'] });
  });

  // What a bundle for a missing module throws (Node's MODULE_NOT_FOUND error), as Lambda's runtime reports it when loading fails.
  it('reports a module Node cannot find while loading as Runtime.ImportModuleError, with Node’s message', async () => {
    const message = "Cannot find module 'x'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs";
    const error = await initError(`const e = new Error(${JSON.stringify(message)}); e.code = 'MODULE_NOT_FOUND'; throw e;`);
    expect(error).toEqual({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `Error: ${message}`,
      trace: ["Runtime.ImportModuleError: Error: Cannot find module 'x'", 'Require stack:', '- /var/task/index.js', '- /var/runtime/index.mjs'],
    });
    const esm = await initError(`const e = new Error("Cannot find package 'y' imported from /var/task/index.mjs"); e.code = 'ERR_MODULE_NOT_FOUND'; throw e;`);
    expect(esm).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find package 'y' imported from /var/task/index.mjs" });
  });

  it('reports a SyntaxError thrown while loading as Runtime.UserCodeSyntaxError, as Lambda', async () => {
    const error = await initError(`JSON.parse('{'); export const handler = async () => 1;`);
    expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(error.errorMessage).toMatch(/^SyntaxError: /);
    expect(error.trace?.[0]).toBe(`Runtime.UserCodeSyntaxError: ${error.errorMessage}`);
  });

  it('says a CommonJS global is not defined "in ES module scope" when loading fails on one, as Node does', async () => {
    const env = await create(`exports.handler = async () => 1;`);
    const outcome = await invoke(env);
    expect(parsed(outcome)).toMatchObject({ errorType: 'ReferenceError', errorMessage: 'exports is not defined in ES module scope' });
    expect((parsed(outcome) as ErrorPayload).trace?.[0]).toBe('ReferenceError: exports is not defined in ES module scope');
  });

  it("adds Node 20's second line when package.json \"type\" makes the handler's .js file an ES module", async () => {
    const sourceMap = BundleSourceMap.from(JSON.stringify({ version: 3, sources: ['src/app.js'], mappings: 'AAAA', names: [] }));
    const files = PackageFiles.from([
      { path: 'src/package.json', data: new TextEncoder().encode('{"type":"module"}') },
      { path: 'package.json', data: new TextEncoder().encode('{"name":"app"}') },
    ]);
    const env = await create(`require('./helper');\nexport const handler = async () => 1;`, { handler: 'src/app.handler', files, sourceMap });
    const error = parsed(await invoke(env)) as ErrorPayload;
    const message =
      "require is not defined in ES module scope, you can use import instead\nThis file is being treated as an ES module because it has a '.js' file extension and " +
      `'/var/task/src/package.json' contains "type": "module". To treat it as a CommonJS script, rename it to use the '.cjs' file extension.`;
    expect(error).toMatchObject({ errorType: 'ReferenceError', errorMessage: message });
    expect(error.trace?.slice(0, 2)).toEqual(`ReferenceError: ${message}`.split('\n'));
    // The bundle renames an ES module's require so that typeof require is 'undefined': its error still says require.
    const renamed = await create(`__stratus_require_is_not_defined_in_ES_module_scope('x');\nexport const handler = async () => 1;`);
    expect(parsed(await invoke(renamed))).toMatchObject({ errorMessage: 'require is not defined in ES module scope, you can use import instead' });
  });

  it('reports a missing module reached by the handler as the plain error it is', async () => {
    const env = await create(`export const handler = async () => { const e = new Error("Cannot find module 'pg-native'"); e.code = 'MODULE_NOT_FOUND'; throw e; };`);
    const outcome = await invoke(env);
    expect(parsed(outcome)).toMatchObject({ errorType: 'Error', errorMessage: "Cannot find module 'pg-native'" });
    expect(env.usable).toBe(true);
  });

  it('reports an error thrown at module scope with its own type, keeping init logs', async () => {
    const env = await create(`console.log('starting'); throw new TypeError('config missing'); export const handler = async () => 1;`);
    const outcome = await invoke(env);
    expect(parsed(outcome)).toMatchObject({ errorType: 'TypeError', errorMessage: 'config missing' });
    const trace = (parsed(outcome) as ErrorPayload).trace ?? [];
    expect(trace[0]).toBe('TypeError: config missing');
    expect(trace.join('\n')).not.toContain('isolated-vm');
    expect(outcome.logs).toMatch(/\tundefined\tINFO\tstarting\n/);
    expect(env.usable).toBe(false);
    // Lambda's lines: INIT_START, the init's output and error, INIT_REPORT with a scrubbed error type, then the
    // invocation's START/END and a REPORT with the init's status and no Init Duration.
    const lines = outcome.logs.split('\n');
    expect(lines[0]).toMatch(/^INIT_START Runtime Version: nodejs:20\.v\d+\tRuntime Version ARN: /);
    expect(lines[2]).toMatch(/\tundefined\tERROR\tUncaught Exception \t\{"errorType":"TypeError","errorMessage":"config missing","stack":\["TypeError: config missing",/);
    expect(lines[3]).toMatch(/^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Runtime\.Unknown$/);
    expect(lines[4]).toMatch(/^START RequestId: /);
    expect(outcome.report).toMatch(/\tMax Memory Used: \d+ MB\tStatus: error\tError Type: Runtime\.Unknown$/);
    expect(outcome.report).not.toContain('Init Duration');
  });

  it('keeps a Runtime.* error type in INIT_REPORT and REPORT, as Lambda does', async () => {
    const env = await create(`export const other = async () => 1;`);
    const outcome = await invoke(env);
    expect(outcome.logs).toMatch(/\nINIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Runtime\.HandlerNotFound\n/);
    expect(outcome.report).toMatch(/\tStatus: error\tError Type: Runtime\.HandlerNotFound$/);
  });

  it('reports a rejected top-level await', async () => {
    const error = await initError(`
      await new Promise((resolve, reject) => setTimeout(() => reject(new RangeError('no config')), 5));
      export const handler = async () => 1;`);
    expect(error).toMatchObject({ errorType: 'RangeError', errorMessage: 'no config' });
  });

  it('reports a top-level await that can never settle', async () => {
    const error = await initError(`await new Promise(() => {}); export const handler = async () => 1;`);
    expect(error.errorType).toBe('Runtime.ExitError');
    expect(error.errorMessage).toContain('top-level await');
  });

  it('lets the next environment initialize cleanly', async () => {
    await initError(`throw new Error('first try');`);
    const env = await create(`export const handler = async () => 'second try';`);
    expect(parsed(await invoke(env))).toBe('second try');
  });
});
