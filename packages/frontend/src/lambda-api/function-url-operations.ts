import { StratusError } from '@stratus/errors';
import {
  FUNCTION_URL_PATH_PREFIX,
  LATEST_VERSION,
  functionArn,
  functionUrlCorsSchema,
  parseOrThrow,
  qualifiedFunctionArn,
  type FunctionUrlConfig,
  type StoredFunction,
} from '@stratus/contracts';
import { splitQualifier } from '../invoke.js';
import type { Operation, OperationRequest } from './operations.js';
import { corsFrom, functionUrlConfigBody, parseBody } from './shapes.js';

const SMALL_BODY_BYTES = 64 * 1024;
const FUNCTION = '([^/]+)';
/** The region Stratus names in ARNs. */
const ARN_REGION = 'local';

/** The function and alias ('' for the function's own URL) a URL operation names: `?Qualifier=`, `name:alias` or an ARN with one. */
function urlTarget(request: OperationRequest): { name: string; alias: string } {
  const { name, qualifier } = splitQualifier(request.functionName, request.query.get('Qualifier') ?? '');
  if (qualifier === '' || qualifier === LATEST_VERSION) return { name, alias: '' };
  if (/^\d+$/.test(qualifier)) throw new StratusError('INVALID_ARGUMENT', `Qualifier: ${JSON.stringify(qualifier)}: a function URL is for $LATEST or an alias, not a version`);
  return { name, alias: qualifier };
}

function urlOf(url: FunctionUrlConfig | undefined): FunctionUrlConfig {
  if (url === undefined) throw new StratusError('FUNCTION_NOT_FOUND', 'The resource you requested does not exist.');
  return url;
}

function urlOfAlias(fn: StoredFunction, alias: string): FunctionUrlConfig | undefined {
  return alias === '' ? fn.url : fn.aliasUrls?.[alias];
}

/** CORS as given, validated with the stored schema so its errors name Lambda's fields. */
function corsOf(cors: Parameters<typeof corsFrom>[0]): { cors?: FunctionUrlConfig['cors'] } {
  const stored = corsFrom(cors);
  if (stored === undefined) return {};
  return { cors: parseOrThrow(functionUrlCorsSchema, stored, 'Cors') };
}

/** The stored mode: BUFFERED is stored as nothing, as URLs made before the mode existed have it. */
function invokeModeOf(mode: FunctionUrlConfig['invokeMode']): { invokeMode?: 'RESPONSE_STREAM' } {
  return mode === 'RESPONSE_STREAM' ? { invokeMode: mode } : {};
}

/**
 * Where a URL is reached: with a URL domain set and an id, host-based
 * (`http://<url-id>.<domain>[:port]/`, the port the client reached the API
 * on); otherwise path-based on the host the client used
 * (`http://<host>/lambda-url/<name>[:<alias>]/`).
 */
export function functionUrlOf(fn: Pick<StoredFunction, 'name'>, alias: string, url: FunctionUrlConfig, host: string, domain: string | undefined): string {
  if (domain !== undefined && domain !== '' && url.urlId !== undefined) {
    const port = /:\d+$/.exec(host)?.[0] ?? '';
    return `http://${url.urlId}.${domain}${port}/`;
  }
  return `http://${host}${FUNCTION_URL_PATH_PREFIX}${fn.name}${alias === '' ? '' : `:${alias}`}/`;
}

/** Lambda's FunctionUrlConfig for a function's (or an alias's) URL. */
export function functionUrlConfiguration(fn: StoredFunction, alias: string, url: FunctionUrlConfig, host: string, domain: string | undefined): Record<string, unknown> {
  const cors = url.cors;
  return {
    FunctionUrl: functionUrlOf(fn, alias, url, host, domain),
    FunctionArn: alias === '' ? functionArn(fn.name, ARN_REGION) : qualifiedFunctionArn(fn.name, alias, ARN_REGION),
    AuthType: url.authType,
    ...(cors !== undefined
      ? {
          Cors: {
            ...(cors.allowCredentials !== undefined ? { AllowCredentials: cors.allowCredentials } : {}),
            ...(cors.allowHeaders !== undefined ? { AllowHeaders: cors.allowHeaders } : {}),
            ...(cors.allowMethods !== undefined ? { AllowMethods: cors.allowMethods } : {}),
            ...(cors.allowOrigins !== undefined ? { AllowOrigins: cors.allowOrigins } : {}),
            ...(cors.exposeHeaders !== undefined ? { ExposeHeaders: cors.exposeHeaders } : {}),
            ...(cors.maxAge !== undefined ? { MaxAge: cors.maxAge } : {}),
          },
        }
      : {}),
    CreationTime: url.createdAt,
    LastModifiedTime: url.lastModifiedAt,
    InvokeMode: url.invokeMode ?? 'BUFFERED',
  };
}

/**
 * Lambda's function URL config routes (`/2021-10-31/functions/{name}/url[s]`):
 * one URL per function and one per alias (`Qualifier`), each with a stable
 * URL id of its own, stored with the function in etcd.
 */
export const FUNCTION_URL_OPERATIONS: readonly Operation[] = [
  {
    name: 'CreateFunctionUrlConfig',
    method: 'POST',
    path: new RegExp(`^/2021-10-31/functions/${FUNCTION}/url/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog, functionUrlDomain }, request) {
      const body = parseBody(functionUrlConfigBody, request.body, 'CreateFunctionUrlConfig');
      if (body.AuthType === undefined) throw new StratusError('INVALID_ARGUMENT', 'CreateFunctionUrlConfig: AuthType: is required (NONE or AWS_IAM)');
      const authType = body.AuthType;
      const { name, alias } = urlTarget(request);
      const now = new Date().toISOString();
      const { fn } = await catalog.setUrl(name, alias, (current) => {
        if (current !== undefined) throw new StratusError('FUNCTION_ALREADY_EXISTS', `FunctionUrlConfig exists for this Lambda function: ${request.functionName}`);
        return { authType, ...corsOf(body.Cors), ...invokeModeOf(body.InvokeMode), createdAt: now, lastModifiedAt: now };
      });
      return { status: 201, body: functionUrlConfiguration(fn, alias, urlOf(urlOfAlias(fn, alias)), request.host, functionUrlDomain) };
    },
  },
  {
    name: 'GetFunctionUrlConfig',
    method: 'GET',
    path: new RegExp(`^/2021-10-31/functions/${FUNCTION}/url/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog, functionUrlDomain }, request) {
      const { name, alias } = urlTarget(request);
      const { fn } = await catalog.get(name);
      return { status: 200, body: functionUrlConfiguration(fn, alias, urlOf(urlOfAlias(fn, alias)), request.host, functionUrlDomain) };
    },
  },
  {
    name: 'UpdateFunctionUrlConfig',
    method: 'PUT',
    path: new RegExp(`^/2021-10-31/functions/${FUNCTION}/url/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog, functionUrlDomain }, request) {
      const body = parseBody(functionUrlConfigBody, request.body, 'UpdateFunctionUrlConfig');
      const { name, alias } = urlTarget(request);
      const { fn } = await catalog.setUrl(name, alias, (current) => {
        const { invokeMode, ...url } = urlOf(current);
        const cors = body.Cors === undefined ? (url.cors === undefined ? {} : { cors: url.cors }) : corsOf(body.Cors);
        return { ...url, authType: body.AuthType ?? url.authType, ...cors, ...invokeModeOf(body.InvokeMode ?? invokeMode), lastModifiedAt: new Date().toISOString() };
      });
      return { status: 200, body: functionUrlConfiguration(fn, alias, urlOf(urlOfAlias(fn, alias)), request.host, functionUrlDomain) };
    },
  },
  {
    name: 'DeleteFunctionUrlConfig',
    method: 'DELETE',
    path: new RegExp(`^/2021-10-31/functions/${FUNCTION}/url/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { name, alias } = urlTarget(request);
      await catalog.setUrl(name, alias, (current) => {
        urlOf(current);
        return undefined;
      });
      return { status: 204 };
    },
  },
  {
    name: 'ListFunctionUrlConfigs',
    method: 'GET',
    path: new RegExp(`^/2021-10-31/functions/${FUNCTION}/urls/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog, functionUrlDomain }, request) {
      const { name, alias } = urlTarget(request);
      if (alias !== '') throw new StratusError('INVALID_ARGUMENT', 'ListFunctionUrlConfigs: FunctionName: lists the URLs of every alias; name the function without a qualifier');
      const { fn } = await catalog.get(name);
      const all: Array<[string, FunctionUrlConfig]> = [...(fn.url === undefined ? [] : [['', fn.url] as [string, FunctionUrlConfig]]), ...Object.entries(fn.aliasUrls ?? {})];
      return { status: 200, body: { FunctionUrlConfigs: all.map(([a, url]) => functionUrlConfiguration(fn, a, url, request.host, functionUrlDomain)) } };
    },
  },
];
