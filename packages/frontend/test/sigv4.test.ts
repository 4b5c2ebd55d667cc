import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { hasCode } from '@stratus/errors';
import { canonicalRequest, canonicalUri, parseSigV4, payloadSha256, signSigV4, verifySigV4, type SignedRequest } from '@stratus/contracts';

const KEY_ID = 'SKAAAAAAAAAAAAAAAAAA';
const SECRET = 'a'.repeat(20) + 'B'.repeat(20);
const HOST = '127.0.0.1:9000';
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

/** The SDK's sha256 contract (with a secret: HMAC), from node:crypto. */
function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

class Sha256 {
  readonly #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(typeof data === 'string' ? data : toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
  reset(): void {}
}

const signer = (secretAccessKey = SECRET): SignatureV4 =>
  new SignatureV4({ service: 'lambda', region: 'us-east-1', credentials: { accessKeyId: KEY_ID, secretAccessKey }, sha256: Sha256 });

/** What the JS SDK sends for a request: signs it (header form) and lays it out as Node would receive it. */
async function sdkSigned(method: string, encodedPath: string, body: string, query: Record<string, string> = {}, secret = SECRET): Promise<SignedRequest & { body: Buffer }> {
  const signed = await signer(secret).sign(
    { method, protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: encodedPath, query, headers: { host: HOST, 'content-type': 'application/json' }, body },
    { signingDate: new Date(NOW) },
  );
  const search = new URLSearchParams(query).toString();
  return {
    method,
    url: `${encodedPath}${search === '' ? '' : `?${search}`}`,
    rawHeaders: Object.entries(signed.headers).flatMap(([name, value]) => [name, String(value)]),
    body: Buffer.from(body),
  };
}

function withoutHeader(rawHeaders: readonly string[], name: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() !== name) kept.push(rawHeaders[i] ?? '', rawHeaders[i + 1] ?? '');
  return kept;
}

function verify(request: SignedRequest & { body: Buffer }, secret = SECRET, now = NOW): boolean {
  return verifySigV4(request, parseSigV4(request, now), payloadSha256(request.body), secret);
}

describe('SigV4 verification', () => {
  it('accepts what the JS SDK signs, an ARN path included, and nothing changed or signed with another secret', async () => {
    const arnPath = `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:us-east-1:000000000000:function:fn')}/invocations`;
    const request = await sdkSigned('POST', arnPath, '{"a":1}', { Qualifier: '$LATEST' });
    expect(verify(request)).toBe(true);
    expect(verify(request, SECRET.replace('a', 'b'))).toBe(false);
    // The SDK declares the body's hash (x-amz-content-sha256); without it the signature covers the hash the server computes.
    expect(() => verify({ ...request, body: Buffer.from('{"a":2}') })).toThrow(/does not match/);
    expect(() => verify({ ...request, rawHeaders: withoutHeader(request.rawHeaders, 'x-amz-content-sha256') })).toThrow(/signed header "x-amz-content-sha256" is not in the request/);
    expect(verify({ ...request, url: request.url.replace('%24LATEST', 'live') })).toBe(false);
    expect(verify({ ...request, method: 'PUT' })).toBe(false);
    expect(verify(await sdkSigned('GET', '/2015-03-31/functions', '', { MaxItems: '1', Marker: 'MQ==' }))).toBe(true);
  });

  it('signs the path percent-encoded twice, as AWS CLI v2 did in the capture', () => {
    const sent = '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Afn2/invocations';
    expect(canonicalUri(sent)).toBe('/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A000000000000%253Afunction%253Afn2/invocations');
    expect(canonicalUri('/2015-03-31/functions/')).toBe('/2015-03-31/functions/');
    // botocore's --debug CanonicalRequest for that call, PORT and date as the capture sanitised them.
    const canonical = canonicalRequest(
      { method: 'POST', url: sent, rawHeaders: ['Host', '127.0.0.1:PORT', 'X-Amz-Date', '<YYYYMMDDTHHMMSSZ>', 'User-Agent', 'aws-cli/2.9.19'] },
      { form: 'header', signedHeaders: ['host', 'x-amz-date'] },
      payloadSha256(Buffer.from('{}')),
    );
    expect(canonical).toBe(
      [
        'POST',
        '/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A000000000000%253Afunction%253Afn2/invocations',
        '',
        'host:127.0.0.1:PORT',
        'x-amz-date:<YYYYMMDDTHHMMSSZ>',
        '',
        'host;x-amz-date',
        '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      ].join('\n'),
    );
  });

  it('accepts a presigned (query-string) request until it expires', async () => {
    const presigned = await signer().presign(
      { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: '/2015-03-31/functions/fn', query: {}, headers: { host: HOST } },
      { signingDate: new Date(NOW), expiresIn: 60 },
    );
    const request = {
      method: 'GET',
      url: `/2015-03-31/functions/fn?${new URLSearchParams(presigned.query as Record<string, string>).toString()}`,
      rawHeaders: ['Host', HOST],
      body: Buffer.alloc(0),
    };
    expect(verify(request)).toBe(true);
    expect(() => verify(request, SECRET, NOW + 61_000)).toThrow(/Signature expired/);
  });

  it('refuses unsigned, malformed, stale and future requests with the errors AWS gives', async () => {
    const request = await sdkSigned('GET', '/2015-03-31/functions', '');
    const refusal = (req: SignedRequest, now = NOW): string => {
      try {
        parseSigV4(req, now);
        return 'accepted';
      } catch (err) {
        return hasCode(err, 'MISSING_AUTHENTICATION') || hasCode(err, 'INCOMPLETE_SIGNATURE') || hasCode(err, 'INVALID_SIGNATURE') ? `${err.code}: ${err.message}` : String(err);
      }
    };
    expect(refusal({ method: 'GET', url: '/2015-03-31/functions', rawHeaders: ['Host', HOST] })).toMatch(/^MISSING_AUTHENTICATION: Missing Authentication Token/);
    expect(refusal(request, NOW + 6 * 60_000)).toMatch(/^INVALID_SIGNATURE: Signature expired/);
    expect(refusal(request, NOW - 6 * 60_000)).toMatch(/^INVALID_SIGNATURE: Signature not yet current/);
    const withAuthorization = (value: string): SignedRequest => ({
      ...request,
      rawHeaders: request.rawHeaders.map((v, i, all) => (i > 0 && all[i - 1]?.toLowerCase() === 'authorization' ? value : v)),
    });
    expect(refusal(withAuthorization('Basic dXNlcjpwYXNz'))).toMatch(/^INCOMPLETE_SIGNATURE: Authorization header must start with "AWS4-HMAC-SHA256 "/);
    expect(refusal(withAuthorization(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20261206/us-east-1/lambda/aws4_request, Signature=${'0'.repeat(64)}`))).toMatch(
      /^INCOMPLETE_SIGNATURE: Authorization header requires 'SignedHeaders' parameter/,
    );
    expect(refusal(withAuthorization(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20261206/us-east-1/lambda/aws4_request, SignedHeaders=x-amz-date, Signature=${'0'.repeat(64)}`))).toMatch(
      /SignedHeaders must include 'host'/,
    );
    expect(refusal(withAuthorization(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20261206/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`))).toMatch(
      /scoped to correct service: 'lambda'/,
    );
    expect(refusal(withAuthorization(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20200101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`))).toMatch(
      /Date in Credential scope does not match/,
    );
  });

  it('signs as the SDK does, for the Lambda API clients Stratus ships (stratus url)', async () => {
    const body = Buffer.from('{"AuthType":"NONE"}');
    const headers = signSigV4({ method: 'POST', url: '/2021-10-31/functions/fn/url', host: HOST, headers: { 'content-type': 'application/json' }, body }, { keyId: KEY_ID, secret: SECRET }, { nowMs: NOW });
    const request = { method: 'POST', url: '/2021-10-31/functions/fn/url', rawHeaders: Object.entries(headers).flat(), body };
    expect(verify(request)).toBe(true);
    const sdk = await signer().sign(
      { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: '/2021-10-31/functions/fn/url', query: {}, headers: { host: HOST, 'content-type': 'application/json' }, body },
      { signingDate: new Date(NOW), signingRegion: 'local' },
    );
    expect(headers['authorization']).toBe(sdk.headers['authorization']);
  });

  it('refuses a body whose declared x-amz-content-sha256 is not its hash', async () => {
    const request = await sdkSigned('POST', '/2015-03-31/functions', '{"FunctionName":"a"}');
    expect(() => verify({ ...request, body: Buffer.from('{"FunctionName":"b"}') })).toThrow(/x-amz-content-sha256 header does not match/);
  });
});
