import { type StratusError } from '@stratus/errors';
import type { FunctionUrlCors } from '@stratus/contracts';

/** What of an HTTP request a function URL's event is made of. */
export interface UrlRequest {
  readonly method: string;
  /** The path after `/lambda-url/<name>`, as sent (at least `/`). */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Node's rawHeaders: names and values alternating. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly domainName: string;
  readonly urlId: string;
  readonly nowMs: number;
  /** The key that signed it, for AuthType AWS_IAM. */
  readonly callerKeyId?: string | undefined;
}

const TEXT_CONTENT = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|[\w.+-]*\+(json|xml)))/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, requestContext.time. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function decodeQueryPart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Lambda's payload format 2.0 event for a function URL request. */
export function urlEvent(request: UrlRequest): Record<string, unknown> {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] ?? '').toLowerCase();
    const value = request.rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      cookies = cookies.concat(value.split(/;\s*/).filter((c) => c !== ''));
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const pair of request.rawQueryString.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  }
  const contentType = headers['content-type'] ?? '';
  const text = request.body.byteLength === 0 || TEXT_CONTENT.test(contentType);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: request.callerKeyId === undefined ? 'anonymous' : '000000000000',
      apiId: request.urlId,
      ...(request.callerKeyId === undefined ? {} : { authorizer: { iam: { accessKey: request.callerKeyId, accountId: '000000000000', callerId: request.callerKeyId, userArn: `arn:aws:iam::000000000000:user/${request.callerKeyId}`, userId: request.callerKeyId } } }),
      domainName: request.domainName,
      domainPrefix: request.urlId,
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(request.nowMs),
      timeEpoch: request.nowMs,
    },
    ...(request.body.byteLength > 0 ? { body: text ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: !text,
  };
}

/** An HTTP answer to a function URL request. */
export interface UrlResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** Lambda's answer when a function failed or answered what cannot be mapped: 502. */
export function badGateway(): UrlResponse {
  return { status: 502, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"Message":"Internal Server Error"}') };
}

/**
 * Lambda's response mapping: an object with `statusCode` is the response
 * (`headers`, `cookies` as Set-Cookie, `body`, `isBase64Encoded`); any other
 * result is a 200 JSON body (a string as it is).
 */
export function urlResponse(payload: Uint8Array): UrlResponse {
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  let result: unknown;
  try {
    result = text === '' ? null : JSON.parse(text);
  } catch {
    return badGateway();
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result) || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : text;
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8') };
  }
  const shaped = result as { statusCode: unknown; headers?: unknown; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
  const status = Number(shaped.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return badGateway();
  const headers: Record<string, string | string[]> = {};
  if (shaped.headers !== undefined && shaped.headers !== null) {
    if (typeof shaped.headers !== 'object') return badGateway();
    for (const [name, value] of Object.entries(shaped.headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n]/.test(String(value))) return badGateway();
      headers[name.toLowerCase()] = String(value);
    }
  }
  if (shaped.cookies !== undefined) {
    if (!Array.isArray(shaped.cookies) || shaped.cookies.some((c) => typeof c !== 'string' || /[\r\n]/.test(c))) return badGateway();
    headers['set-cookie'] = shaped.cookies as string[];
  }
  headers['content-type'] ??= 'application/json';
  let body = Buffer.alloc(0);
  if (shaped.body !== undefined && shaped.body !== null) {
    const bodyText = typeof shaped.body === 'string' ? shaped.body : JSON.stringify(shaped.body);
    body = shaped.isBase64Encoded === true ? Buffer.from(bodyText, 'base64') : Buffer.from(bodyText, 'utf8');
  }
  return { status, headers, body };
}

/** The Access-Control-Allow-Origin to answer `origin` with, or undefined when the config does not allow it. */
function allowedOrigin(cors: FunctionUrlCors, origin: string): string | undefined {
  const origins = cors.allowOrigins ?? [];
  if (origins.includes('*')) return cors.allowCredentials === true ? origin : '*';
  return origins.includes(origin) ? origin : undefined;
}

/** The headers a CORS preflight is answered with (no invocation), per the URL's Cors config. */
export function preflightHeaders(cors: FunctionUrlCors, origin: string): Record<string, string> {
  const allowed = allowedOrigin(cors, origin);
  if (allowed === undefined) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.allowMethods !== undefined ? { 'access-control-allow-methods': cors.allowMethods.join(',') } : {}),
    ...(cors.allowHeaders !== undefined ? { 'access-control-allow-headers': cors.allowHeaders.join(',') } : {}),
    ...(cors.maxAge !== undefined ? { 'access-control-max-age': String(cors.maxAge) } : {}),
    ...(cors.allowCredentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    vary: 'Origin',
  };
}

/** The CORS headers an answer carries (they replace any the function set). */
export function responseCorsHeaders(cors: FunctionUrlCors, origin: string): Record<string, string> {
  const allowed = allowedOrigin(cors, origin);
  if (allowed === undefined) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.exposeHeaders !== undefined ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
    ...(cors.allowCredentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    vary: 'Origin',
  };
}

/** A platform error as a function URL answers it: Lambda's `{"Message"}` body. */
export function urlError(err: StratusError, status: number): UrlResponse {
  const message = status === 403 ? 'Forbidden' : status === 429 ? 'Rate Exceeded.' : status >= 500 ? 'Internal Server Error' : err.message;
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ Message: message })) };
}
