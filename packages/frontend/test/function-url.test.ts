import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { UrlResponseStream, urlEvent, urlResponse, type UrlStreamSink } from '../src/lambda-api/function-url.js';
import { StreamBudget } from '../src/lambda-api/stream-budget.js';

const request = {
  method: 'POST',
  rawPath: '/items/7',
  rawQueryString: 'x=1&x=2&y=%20z&flag',
  rawHeaders: ['Host', 'h.example', 'Content-Type', 'application/json', 'Cookie', 'a=1; b=2', 'X-Multi', 'one', 'x-multi', 'two', 'User-Agent', 'curl/8'],
  body: Buffer.from('{"hello":"url"}'),
  sourceIp: '10.0.0.9',
  requestId: 'req-1',
  domainName: 'h.example',
  urlId: 'abcdefghijklmnopqrstuvwxyz012345',
  nowMs: Date.UTC(2020, 2, 12, 19, 3, 58, 123),
};

describe("a function URL's event (payload format 2.0)", () => {
  it('is JSON bytes with lower-cased headers joined by commas, cookies apart, query parameters decoded and joined', () => {
    const event = JSON.parse(urlEvent(request).toString('utf8')) as Record<string, unknown>;
    expect(event).toEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/items/7',
      rawQueryString: 'x=1&x=2&y=%20z&flag',
      cookies: ['a=1', 'b=2'],
      headers: { host: 'h.example', 'content-type': 'application/json', 'x-multi': 'one,two', 'user-agent': 'curl/8' },
      queryStringParameters: { x: '1,2', y: ' z', flag: '' },
      requestContext: {
        accountId: 'anonymous',
        apiId: request.urlId,
        domainName: 'h.example',
        domainPrefix: request.urlId,
        http: { method: 'POST', path: '/items/7', protocol: 'HTTP/1.1', sourceIp: '10.0.0.9', userAgent: 'curl/8' },
        requestId: 'req-1',
        routeKey: '$default',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: request.nowMs,
      },
      body: '{"hello":"url"}',
      isBase64Encoded: false,
    });
  });

  it('carries a binary body in base64, leaves out what is absent, and names the signing key', () => {
    const event = JSON.parse(
      urlEvent({ ...request, rawQueryString: '', rawHeaders: ['Content-Type', 'image/png'], body: Buffer.from([0, 255]), callerKeyId: 'SKEXAMPLE', nowMs: request.nowMs + 1000 }).toString('utf8'),
    ) as Record<string, unknown> & { requestContext: Record<string, unknown> };
    expect(event).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event.requestContext).toMatchObject({ accountId: '000000000000', time: '12/Mar/2020:19:03:59 +0000', authorizer: { iam: { accessKey: 'SKEXAMPLE' } } });
    const many = Array.from({ length: 300 }, (_, i) => [`x-h${i}`, 'v']).flat();
    const capped = JSON.parse(urlEvent({ ...request, rawHeaders: many }).toString('utf8')) as { headers: Record<string, string> };
    expect(Object.keys(capped.headers)).toHaveLength(100);
    const empty = JSON.parse(urlEvent({ ...request, body: Buffer.alloc(0) }).toString('utf8')) as Record<string, unknown>;
    expect(empty).not.toHaveProperty('body');
    expect(empty['isBase64Encoded']).toBe(false);
  });
});

describe("a function URL's response mapping", () => {
  const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text));

  it('answers any result without statusCode as a 200 JSON body, the very bytes the node sent', () => {
    const payload = Buffer.from('xx{"a":1}').subarray(2);
    const answer = urlResponse(payload);
    expect(answer).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(answer.body.toString()).toBe('{"a":1}');
    expect(answer.body.buffer).toBe(payload.buffer);
    for (const text of ['[1,2]', '42', 'null', '', ' {"statusCodes":1}']) expect(urlResponse(bytes(text)).body.toString(), text).toBe(text);
    expect(urlResponse(bytes('{"nested":{"statusCode":201}}')).status).toBe(200);
  });

  it('answers a string result with its text', () => {
    expect(urlResponse(bytes('"hi \\u00e9"')).body.toString('utf8')).toBe('hi é');
  });

  it('maps an object with statusCode: headers, cookies, body and base64', () => {
    const answer = urlResponse(bytes(JSON.stringify({ statusCode: 201, headers: { 'X-A': 'b' }, cookies: ['c=1'], body: 'AP8=', isBase64Encoded: true })));
    expect(answer.status).toBe(201);
    expect(answer.headers).toEqual({ 'x-a': 'b', 'set-cookie': ['c=1'], 'content-type': 'application/json' });
    expect([...answer.body]).toEqual([0, 255]);
    expect(urlResponse(bytes('{"statusCode":200,"body":{"a":1}}')).body.toString()).toBe('{"a":1}');
  });

  it('answers 502 for what cannot be mapped', () => {
    for (const text of ['{"statusCode":99}', '{"statusCode":200,"headers":{"a":"x\\r\\ny"}}', '{"statusCode":200,"headers":{"a b":"x"}}', '{"statusCode":200,"cookies":"c"}', '{"statusCode":']) {
      expect(urlResponse(bytes(text)).status, text).toBe(502);
    }
  });
});

const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';

/** A RESPONSE_STREAM answer whose held bytes count against `budget`, recording what it sends. */
function liveAnswer(budget: StreamBudget): { live: UrlResponseStream; sent: string[] } {
  const sent: string[] = [];
  const hold = budget.hold('r1');
  const sink: UrlStreamSink = {
    begin: (status) => sent.push(`head ${status}`),
    write: (bytes) => sent.push(bytes.toString()),
    hold: (n) => hold.take(n),
    release: () => hold.release(),
    cutOff: () => sent.push('cut off'),
  };
  return { live: new UrlResponseStream(sink), sent };
}

describe("a RESPONSE_STREAM function URL's answer before its head", () => {
  const log = pino({ level: 'silent' });

  it('holds a prelude until it is whole against the stream budget, and gives the bytes back when the head leaves', () => {
    const budget = new StreamBudget(1024, log);
    const { live, sent } = liveAnswer(budget);
    live.chunk(Buffer.from('{"statusCode":201'), HTTP_INTEGRATION);
    expect(budget.heldBytes).toBe(17);
    live.chunk(Buffer.concat([Buffer.from('}'), Buffer.alloc(8), Buffer.from('body')]), HTTP_INTEGRATION);
    expect(sent).toEqual(['head 201', 'body']);
    expect(budget.heldBytes).toBe(0);
    expect(budget.peakBytes).toBe(17);
  });

  it('holds nothing of a stream without Lambda\'s prelude content type, or of a chunk that completes the prelude, however full the budget', () => {
    const budget = new StreamBudget(1024, log);
    const full = budget.hold('r0');
    expect(full.take(1024)).toBe(true);
    const plain = liveAnswer(budget);
    plain.live.chunk(Buffer.alloc(300, 120), 'text/plain');
    expect(plain.sent).toEqual(['head 200', 'x'.repeat(300)]);
    const framed = liveAnswer(budget);
    framed.live.chunk(Buffer.concat([Buffer.from('{"statusCode":204}'), Buffer.alloc(8)]), HTTP_INTEGRATION);
    expect(framed.sent).toEqual(['head 204']);
    expect(budget).toMatchObject({ heldBytes: 1024, cutOffs: 0 });
  });

  it('cuts off a stream that never completes its prelude once its held bytes would pass the budget, and drops the rest', () => {
    const budget = new StreamBudget(1024, log);
    const other = budget.hold('r0');
    expect(other.take(100)).toBe(true);
    const { live, sent } = liveAnswer(budget);
    for (let i = 0; i < 3; i += 1) live.chunk(Buffer.alloc(300, 120), HTTP_INTEGRATION);
    expect(budget.heldBytes).toBe(1000);
    live.chunk(Buffer.alloc(300, 120), HTTP_INTEGRATION);
    expect(sent).toEqual(['cut off']);
    expect(live.dropped).toBe(true);
    expect(budget).toMatchObject({ heldBytes: 100, peakBytes: 1000, cutOffs: 1 });
    live.chunk(Buffer.alloc(300, 120), HTTP_INTEGRATION);
    expect(sent).toEqual(['cut off']);
    expect(budget.heldBytes).toBe(100);
    other.release();
    other.release();
    expect(budget.heldBytes).toBe(0);
  });

  it('releases what it held when dropped (its client left, or the call ended), once', () => {
    const budget = new StreamBudget(1024, log);
    const { live, sent } = liveAnswer(budget);
    live.chunk(Buffer.alloc(500, 120), HTTP_INTEGRATION);
    live.drop();
    live.drop();
    expect(budget.heldBytes).toBe(0);
    live.chunk(Buffer.from('{}'), 'text/plain');
    expect(sent).toEqual([]);
  });
});
