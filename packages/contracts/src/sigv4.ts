import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { StratusError } from '@stratus/errors';

/**
 * AWS Signature Version 4, as AWS CLI v2 and the SDKs sign Lambda's REST
 * API: the header form (`Authorization: AWS4-HMAC-SHA256 Credential=…`) and
 * the query-string form (presigned, `X-Amz-Signature=…`). The canonical URI
 * is the path as sent, percent-encoded once more (`arn%3A…` is signed as
 * `arn%253A…`): for plain names every rule agrees, for ARNs only this one
 * reproduces the clients' signatures (docs/facts.md).
 */

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far a request's time may be from the server's, either way (AWS: five minutes). */
export const SIGV4_CLOCK_SKEW_MS = 5 * 60_000;
/** The longest a presigned request may stay valid (AWS: seven days). */
export const SIGV4_MAX_EXPIRES_SEC = 604_800;
const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** A request as it arrived: what the signature covers. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as sent (Node's `req.url`). */
  readonly url: string;
  /** Node's `req.rawHeaders`: names and values alternating, as sent. */
  readonly rawHeaders: readonly string[];
}

/** What a request claims about its signature, parsed and checked for shape and time, not yet verified. */
export interface SigV4Claim {
  readonly form: 'header' | 'query';
  readonly accessKeyId: string;
  /** `YYYYMMDDTHHMMSSZ` */
  readonly amzDate: string;
  /** `<YYYYMMDD>/<region>/<service>/aws4_request` */
  readonly scope: string;
  readonly region: string;
  readonly service: string;
  /** Lower-case, as listed. */
  readonly signedHeaders: readonly string[];
  /** 64 hex digits. */
  readonly signature: string;
  /** The `x-amz-content-sha256` header, lower-case hex, when the client sent one (the SDKs do; AWS CLI v2 does not). */
  readonly contentSha256: string | undefined;
}

/** Headers by lower-case name, each with its values in the order sent. */
export function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const values = headers.get(name);
    if (values) values.push(rawHeaders[i + 1] ?? '');
    else headers.set(name, [rawHeaders[i + 1] ?? '']);
  }
  return headers;
}

function incomplete(message: string): StratusError {
  return new StratusError('INCOMPLETE_SIGNATURE', message);
}

/**
 * Reads the signature a request claims (header or query form) and checks
 * everything that needs no secret: its shape, the algorithm, the scope's
 * date against the request's, `host` among the signed headers, and the time
 * (within five minutes of `nowMs`, or within a presigned request's expiry).
 * Throws MISSING_AUTHENTICATION when the request is not signed at all,
 * INCOMPLETE_SIGNATURE when it is malformed, INVALID_SIGNATURE when expired.
 */
export function parseSigV4(request: SignedRequest, nowMs: number): SigV4Claim {
  const headers = headerValues(request.rawHeaders);
  const authorization = headers.get('authorization');
  const query = parseQuery(queryOf(request.url));
  const queryAlgorithm = query.find(([name]) => name === 'X-Amz-Algorithm');
  if (authorization !== undefined && queryAlgorithm !== undefined) {
    throw incomplete('Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified');
  }
  const contentSha256 = single(headers, 'x-amz-content-sha256')?.toLowerCase();
  if (contentSha256 !== undefined && !/^[0-9a-f]{64}$/.test(contentSha256)) {
    throw incomplete(`x-amz-content-sha256 must be the hex SHA-256 of the body (UNSIGNED-PAYLOAD is not accepted), not ${JSON.stringify(contentSha256.slice(0, 80))}`);
  }
  if (authorization !== undefined) {
    if (authorization.length !== 1) throw incomplete('the Authorization header is sent more than once');
    const claim = parseAuthorizationHeader(authorization[0] ?? '');
    const amzDate = single(headers, 'x-amz-date');
    if (amzDate === undefined) throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header (only X-Amz-Date is accepted here)");
    const parsed = { form: 'header' as const, ...claim, amzDate: checkAmzDate(amzDate), contentSha256 };
    checkScope(parsed);
    checkTime(parsed.amzDate, nowMs, undefined);
    return parsed;
  }
  if (queryAlgorithm !== undefined) {
    const param = (name: string): string => {
      const found = query.filter(([n]) => n === name);
      if (found.length !== 1) throw incomplete(`AWS query-string parameters must include ${name} exactly once`);
      return found[0]?.[1] ?? '';
    };
    if (param('X-Amz-Algorithm') !== SIGV4_ALGORITHM) throw incomplete(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`);
    const credential = parseCredential(param('X-Amz-Credential'));
    const expiresText = param('X-Amz-Expires');
    if (!/^\d{1,6}$/.test(expiresText) || Number(expiresText) < 1 || Number(expiresText) > SIGV4_MAX_EXPIRES_SEC) {
      throw incomplete(`X-Amz-Expires must be a whole number of seconds from 1 to ${SIGV4_MAX_EXPIRES_SEC}`);
    }
    const parsed: SigV4Claim = {
      form: 'query',
      ...credential,
      signedHeaders: parseSignedHeaders(param('X-Amz-SignedHeaders')),
      signature: parseSignature(param('X-Amz-Signature')),
      amzDate: checkAmzDate(param('X-Amz-Date')),
      contentSha256,
    };
    checkScope(parsed);
    checkTime(parsed.amzDate, nowMs, Number(expiresText));
    return parsed;
  }
  throw new StratusError(
    'MISSING_AUTHENTICATION',
    'Missing Authentication Token: sign requests with SigV4, a Stratus API key as the access key id and secret (AWS_ACCESS_KEY_ID=<keyId> AWS_SECRET_ACCESS_KEY=<secret>)',
  );
}

function single(headers: Map<string, string[]>, name: string): string | undefined {
  const values = headers.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) throw incomplete(`the ${name} header is sent more than once`);
  return values[0];
}

function parseAuthorizationHeader(value: string): Omit<SigV4Claim, 'form' | 'amzDate' | 'contentSha256'> {
  const prefix = `${SIGV4_ALGORITHM} `;
  if (!value.startsWith(prefix)) {
    throw incomplete(`Authorization header must start with "${SIGV4_ALGORITHM} " (Signature Version 4); got ${JSON.stringify(value.split(' ')[0]?.slice(0, 40) ?? '')}`);
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(prefix.length).split(',')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (name === '') continue;
    if (eq < 0) throw incomplete(`Authorization header requires each component to be name=value; got ${JSON.stringify(name.slice(0, 40))}`);
    if (fields.has(name)) throw incomplete(`Authorization header names ${name} twice`);
    fields.set(name, part.slice(eq + 1).trim());
  }
  const field = (name: string): string => {
    const found = fields.get(name);
    if (found === undefined) throw incomplete(`Authorization header requires '${name}' parameter`);
    return found;
  };
  return { ...parseCredential(field('Credential')), signedHeaders: parseSignedHeaders(field('SignedHeaders')), signature: parseSignature(field('Signature')) };
}

function parseCredential(value: string): Pick<SigV4Claim, 'accessKeyId' | 'scope' | 'region' | 'service'> {
  const parts = value.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    throw incomplete(`Credential must be <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request; got ${JSON.stringify(value.slice(0, 200))}`);
  }
  if (!/^\d{8}$/.test(date)) throw incomplete(`Credential's date must be YYYYMMDD; got ${JSON.stringify(date.slice(0, 20))}`);
  if (!/^[A-Za-z0-9-]{1,64}$/.test(region)) throw incomplete(`Credential's region must be letters, digits and -; got ${JSON.stringify(region.slice(0, 70))}`);
  return { accessKeyId, scope: parts.slice(1).join('/'), region, service };
}

function parseSignedHeaders(value: string): string[] {
  const names = value.split(';');
  if (names.some((name) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name))) {
    throw incomplete(`SignedHeaders must be lower-case header names separated by ';'; got ${JSON.stringify(value.slice(0, 200))}`);
  }
  if (!names.includes('host')) throw incomplete("SignedHeaders must include 'host'");
  return names;
}

function parseSignature(value: string): string {
  if (!/^[0-9a-f]{64}$/.test(value)) throw incomplete('Signature must be 64 lower-case hex digits');
  return value;
}

function checkAmzDate(value: string): string {
  if (!/^\d{8}T\d{6}Z$/.test(value) || Number.isNaN(amzDateMs(value))) throw incomplete(`X-Amz-Date must be YYYYMMDDTHHMMSSZ; got ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

function amzDateMs(value: string): number {
  return Date.parse(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}Z`);
}

function checkScope(claim: SigV4Claim): void {
  if (!claim.scope.startsWith(`${claim.amzDate.slice(0, 8)}/`)) {
    throw new StratusError('INVALID_SIGNATURE', `Date in Credential scope does not match YYYYMMDD from X-Amz-Date: ${claim.scope.slice(0, 8)} vs ${claim.amzDate.slice(0, 8)}`);
  }
  if (claim.service !== 'lambda') {
    throw new StratusError('INVALID_SIGNATURE', `Credential should be scoped to correct service: 'lambda' (got ${JSON.stringify(claim.service.slice(0, 40))})`);
  }
}

function checkTime(amzDate: string, nowMs: number, expiresSec: number | undefined): void {
  const signedMs = amzDateMs(amzDate);
  const now = compactDate(nowMs);
  if (expiresSec !== undefined) {
    if (nowMs > signedMs + expiresSec * 1000) throw new StratusError('INVALID_SIGNATURE', `Signature expired: ${amzDate} + ${expiresSec} s is now earlier than ${now}`);
  } else if (signedMs < nowMs - SIGV4_CLOCK_SKEW_MS) {
    throw new StratusError('INVALID_SIGNATURE', `Signature expired: ${amzDate} is now earlier than ${compactDate(nowMs - SIGV4_CLOCK_SKEW_MS)} (${now} - 5 min.)`);
  }
  if (signedMs > nowMs + SIGV4_CLOCK_SKEW_MS) {
    throw new StratusError('INVALID_SIGNATURE', `Signature not yet current: ${amzDate} is still later than ${compactDate(nowMs + SIGV4_CLOCK_SKEW_MS)} (${now} + 5 min.)`);
  }
}

function compactDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Query parameters as sent, percent-decoded ('+' is a plus, as AWS reads it); throws on bad escapes. */
export function parseQuery(query: string): Array<[string, string]> {
  if (query === '') return [];
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return [decodeComponent(eq < 0 ? pair : pair.slice(0, eq)), eq < 0 ? '' : decodeComponent(pair.slice(eq + 1))];
    });
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new StratusError('INVALID_ARGUMENT', `the query string has a malformed percent-escape: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ escaped, in upper-case hex. */
export function sigV4Escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI: the path as sent, its dot and empty segments removed,
 * and each segment percent-encoded once more (what botocore and the JS SDK
 * do for every service but S3).
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(sigV4Escape).join('/')}${trailing}`;
}

function canonicalQuery(params: ReadonlyArray<[string, string]>): string {
  return params
    .map(([name, value]) => [sigV4Escape(name), sigV4Escape(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** The canonical request of SigV4, for `claim`'s signed headers; throws INVALID_SIGNATURE when one of them was not sent. */
export function canonicalRequest(request: SignedRequest, claim: Pick<SigV4Claim, 'form' | 'signedHeaders'>, payloadSha256: string): string {
  const headers = headerValues(request.rawHeaders);
  const lines: string[] = [];
  for (const name of claim.signedHeaders) {
    const values = headers.get(name);
    if (values === undefined) throw new StratusError('INVALID_SIGNATURE', `the signed header ${JSON.stringify(name)} is not in the request`);
    lines.push(`${name}:${values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`);
  }
  const params = parseQuery(queryOf(request.url)).filter(([name]) => claim.form === 'header' || name !== 'X-Amz-Signature');
  return [request.method, canonicalUri(pathOf(request.url)), canonicalQuery(params), lines.join(''), claim.signedHeaders.join(';'), payloadSha256].join('\n');
}

/** Hex SHA-256 of a body; for the empty body, the constant every client sends. */
export function payloadSha256(body: Uint8Array): string {
  return body.byteLength === 0 ? EMPTY_SHA256 : createHash('sha256').update(body).digest('hex');
}

/** The signing key of `secret` for a claim's scope. */
export function signingKey(secret: string, scope: string): Buffer {
  const [date = '', region = '', service = ''] = scope.split('/');
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/** The signature SigV4 gives `request` with `secret`: what the client must have sent. */
export function expectedSignature(request: SignedRequest, claim: SigV4Claim, bodySha256: string, secret: string): string {
  const canonical = canonicalRequest(request, claim, bodySha256);
  const stringToSign = [SIGV4_ALGORITHM, claim.amzDate, claim.scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  return createHmac('sha256', signingKey(secret, claim.scope)).update(stringToSign).digest('hex');
}

/**
 * Whether the claim's signature is right for `secret`, compared in constant
 * time. The body's hash must also match what the client declared, if it did.
 */
export function verifySigV4(request: SignedRequest, claim: SigV4Claim, bodySha256: string, secret: string): boolean {
  if (claim.contentSha256 !== undefined && claim.contentSha256 !== bodySha256) {
    throw new StratusError('INVALID_SIGNATURE', 'The provided x-amz-content-sha256 header does not match what was computed for the body');
  }
  const expected = Buffer.from(expectedSignature(request, claim, bodySha256, secret), 'hex');
  const given = Buffer.from(claim.signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Signs a request (header form) with an API key as access key id and
 * secret, for clients of the Lambda REST API: the headers to send, `host`,
 * `x-amz-date`, `x-amz-content-sha256` and `authorization` added.
 */
export function signSigV4(
  request: { readonly method: string; readonly url: string; readonly host: string; readonly headers?: Readonly<Record<string, string>>; readonly body?: Uint8Array },
  credential: { readonly keyId: string; readonly secret: string },
  options: { readonly region?: string; readonly nowMs?: number } = {},
): Record<string, string> {
  const amzDate = new Date(options.nowMs ?? Date.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const body = request.body ?? new Uint8Array(0);
  const bodySha256 = payloadSha256(body);
  const headers: Record<string, string> = { ...request.headers, host: request.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': bodySha256 };
  const signedHeaders = Object.keys(headers).map((name) => name.toLowerCase()).sort();
  const scope = `${amzDate.slice(0, 8)}/${options.region ?? 'local'}/lambda/aws4_request`;
  const claim: SigV4Claim = {
    form: 'header',
    accessKeyId: credential.keyId,
    amzDate,
    scope,
    region: options.region ?? 'local',
    service: 'lambda',
    signedHeaders,
    signature: '',
    contentSha256: bodySha256,
  };
  const rawHeaders = Object.entries(headers).flat();
  const signature = expectedSignature({ method: request.method, url: request.url, rawHeaders }, claim, bodySha256, credential.secret);
  return { ...headers, authorization: `${SIGV4_ALGORITHM} Credential=${credential.keyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}` };
}
