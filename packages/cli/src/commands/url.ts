import { Option, type Command } from 'commander';
import { ERROR_CODES, StratusError, isErrorCode, type ErrorCode } from '@stratus/errors';
import { parseApiKey, signSigV4 } from '@stratus/contracts';
import type { CliContext } from '../context.js';
import { toJson } from '../output.js';
import { usageError } from '../usage-error.js';

interface UrlOptions {
  readonly httpEndpoint: string;
  readonly json?: boolean;
}

interface CreateUrlOptions extends UrlOptions {
  readonly auth: 'none' | 'key';
  readonly corsOrigin?: string[];
  readonly invokeMode: 'buffered' | 'response-stream';
}

/** Where `stratus up` serves Lambda's REST API unless told otherwise. */
const DEFAULT_HTTP_ENDPOINT = 'http://127.0.0.1:9000';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

function addUrlOptions(command: Command, ctx: CliContext): Command {
  return command
    .addOption(
      new Option('--http-endpoint <url>', "a frontend's Lambda REST API (STRATUS_HTTP_ENDPOINT sets the default)").default(ctx.defaultHttpEndpoint ?? DEFAULT_HTTP_ENDPOINT),
    )
    .option('--json', 'print machine-readable JSON on stdout');
}

/**
 * `stratus url`: a function's URL (Lambda's function URL config), through
 * the Lambda REST API, signed with SigV4 by the CLI's API key.
 */
export function registerUrl(program: Command, ctx: CliContext): void {
  const url = program.command('url').description("a function's URL: create, show or remove it (through the Lambda REST API, with the CLI's API key)");
  addUrlOptions(
    url
      .command('create')
      .description('give a function a URL and print it; --auth key means callers must sign with SigV4 by an API key with the invoke scope')
      .argument('<name>', 'the function')
      .addOption(new Option('--auth <auth>', 'who may call the URL: none (anyone) or key (an API key, SigV4)').choices(['none', 'key']).default('none'))
      .option('--cors-origin <origin>', 'an origin browsers may call it from (repeatable or comma-separated; * for any)', collect)
      .addOption(
        new Option('--invoke-mode <mode>', "buffered (the whole answer at once) or response-stream (a handler wrapped in awslambda.streamifyResponse answers as it writes)")
          .choices(['buffered', 'response-stream'])
          .default('buffered'),
      ),
    ctx,
  ).action(async (name: string, options: CreateUrlOptions) => {
    const body = {
      AuthType: options.auth === 'key' ? 'AWS_IAM' : 'NONE',
      InvokeMode: options.invokeMode === 'response-stream' ? 'RESPONSE_STREAM' : 'BUFFERED',
      ...(options.corsOrigin !== undefined ? { Cors: { AllowOrigins: options.corsOrigin, AllowMethods: ['*'], AllowHeaders: ['*'] } } : {}),
    };
    printUrl(ctx, await lambdaApi(ctx, options, 'POST', functionUrlPath(name), body), options.json === true);
  });
  addUrlOptions(url.command('get').description("print a function's URL").argument('<name>', 'the function'), ctx).action(async (name: string, options: UrlOptions) => {
    printUrl(ctx, await lambdaApi(ctx, options, 'GET', functionUrlPath(name)), options.json === true);
  });
  addUrlOptions(url.command('rm').description("remove a function's URL").argument('<name>', 'the function'), ctx).action(async (name: string, options: UrlOptions) => {
    await lambdaApi(ctx, options, 'DELETE', functionUrlPath(name));
    ctx.stdout.write(options.json === true ? toJson({ functionName: name, removed: true }) : `removed the URL of ${name}\n`);
  });
}

function functionUrlPath(name: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw usageError(`${JSON.stringify(name)} is not a function name (letters, digits, - and _)`);
  return `/2021-10-31/functions/${name}/url`;
}

function printUrl(ctx: CliContext, config: Record<string, unknown>, json: boolean): void {
  const functionUrl = typeof config['FunctionUrl'] === 'string' ? config['FunctionUrl'] : '';
  if (json) ctx.stdout.write(toJson({ functionUrl, authType: config['AuthType'], invokeMode: config['InvokeMode'] ?? 'BUFFERED', cors: config['Cors'] ?? null }));
  else ctx.stdout.write(`${functionUrl}\n`);
}

/** One signed call to the Lambda REST API; its error document becomes the StratusError it maps from. */
function lambdaApi(ctx: CliContext, options: UrlOptions, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  return callLambdaApi(ctx.apiKey, options.httpEndpoint, method, path, body);
}

/** Gives a function a URL (AuthType NONE) unless it has one, and returns it: what `stratus up` does for its example. */
export async function ensureFunctionUrl(apiKey: string | undefined, httpEndpoint: string, name: string): Promise<string> {
  const path = functionUrlPath(name);
  const found = await callLambdaApi(apiKey, httpEndpoint, 'GET', path).catch((err: unknown) => {
    if (err instanceof StratusError && err.code === 'FUNCTION_NOT_FOUND') return undefined;
    throw err;
  });
  const config = found ?? (await callLambdaApi(apiKey, httpEndpoint, 'POST', path, { AuthType: 'NONE' }));
  return typeof config['FunctionUrl'] === 'string' ? config['FunctionUrl'] : '';
}

/** One call to the Lambda REST API at `httpEndpoint`, signed with SigV4 by `apiKey`. */
async function callLambdaApi(apiKey: string | undefined, httpEndpoint: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const credential = apiKey === undefined ? undefined : parseApiKey(apiKey);
  if (!credential) throw new StratusError('UNAUTHENTICATED', 'the Lambda API needs an API key: set STRATUS_API_KEY, or run from the folder holding .stratus/admin.key');
  let endpoint: URL;
  try {
    endpoint = new URL(httpEndpoint);
  } catch {
    throw usageError(`--http-endpoint: ${JSON.stringify(httpEndpoint)} is not a URL`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw usageError('--http-endpoint: must be an http:// or https:// URL');
  const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  const headers = signSigV4(
    { method, url: path, host: endpoint.host, ...(bytes === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: bytes }) },
    credential,
  );
  let response: Response;
  try {
    response = await fetch(new URL(path, endpoint), { method, headers, ...(bytes === undefined ? {} : { body: bytes }) });
  } catch (err) {
    throw new StratusError('UNAVAILABLE', `cannot reach the Lambda API at ${endpoint.origin}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const text = await response.text();
  if (response.ok) return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  const lambdaName = (response.headers.get('x-amzn-errortype') ?? '').split(':')[0] ?? '';
  let message = text;
  try {
    const parsed = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof parsed === 'string') message = parsed;
  } catch {
    // Not Lambda's JSON error document: the text is the message.
  }
  throw new StratusError(codeOf(lambdaName, response.status), message);
}

/** The Stratus code a Lambda error name and status came from (the first row of the table with both). */
function codeOf(lambdaName: string, status: number): ErrorCode {
  const rows = Object.entries(ERROR_CODES) as Array<[string, { lambdaName: string; httpStatus: number }]>;
  const found = rows.find(([, info]) => info.lambdaName === lambdaName && info.httpStatus === status) ?? rows.find(([, info]) => info.lambdaName === lambdaName);
  const code = found?.[0];
  return code !== undefined && isErrorCode(code) ? code : status >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT';
}
