import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import { pino } from 'pino';
import {
  createNamespace,
  type Namespace,
} from '@stratus/contracts';
import {
  loadStratusApi,
  type GetLogsRequestMessage,
  type GetLogsResponseMessage,
  type LogEventMessage,
} from '@stratus/contracts/grpc';
import { LOG_HEADERS, createLogPublisher, encodeLogBatch, ensureLogsStream, type LogPublisher } from '@stratus/logs';
import { startNats, type TestNats } from '@stratus/testing';
import { unary } from '../src/grpc-errors.js';
import { LogsService } from '../src/logs-service.js';

// The Logs service on a real gRPC server and a real nats-server, without the
// rest of the frontend: what it reads, and that it leaves no consumers behind.
const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

let nats: TestNats;
let nc: NatsConnection;
let ns: Namespace;
let service: LogsService;
let server: grpc.Server;
let client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;
let publisher: LogPublisher;
const calls: grpc.ClientReadableStream<LogEventMessage>[] = [];

beforeAll(async () => {
  nats = await startNats();
  nc = await connect({ servers: nats.url });
  ns = createNamespace(`t${randomBytes(6).toString('hex')}`);
  await ensureLogsStream(await nc.jetstreamManager(), ns);
  publisher = createLogPublisher({ nc, ns, log, nodeId: 'n1' });
  service = new LogsService({ nc, ns, log });
  const api = loadStratusApi();
  server = new grpc.Server();
  server.addService(api.services.Logs.service, {
    getLogs: unary(log, (req: GetLogsRequestMessage) => service.getLogs(req)),
    tailLogs: service.tailLogs,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  client = new api.services.Logs(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as typeof client;
});
afterEach(() => {
  for (const call of calls.splice(0)) call.cancel();
});
afterAll(async () => {
  service?.close();
  client?.close();
  server?.forceShutdown();
  await publisher?.close();
  await nc?.close();
  await nats?.stop();
});

let counter = 0;
async function publish(functionName: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => `req-${++counter}`);
  for (const requestId of ids) {
    publisher.publish({ requestId, functionName, version: '$LATEST', nodeId: 'n1', timestampMs: Date.now(), message: `log of ${requestId}\n` });
  }
  await publisher.flush();
  return ids;
}

function getLogs(request: Partial<GetLogsRequestMessage>): Promise<LogEventMessage[]> {
  return new Promise((resolve, reject) =>
    client['getLogs']?.({ startTimeMs: 0, endTimeMs: 0, limit: 0, requestId: '', eventsOnly: false, ...request }, (err: Error | null, res: GetLogsResponseMessage) =>
      err ? reject(err) : resolve(res.events),
    ),
  );
}

function tail(functionName: string, limit?: number): { events: LogEventMessage[]; ended: Promise<grpc.StatusObject> } {
  const call = client['tailLogs']?.({ functionName, ...(limit !== undefined ? { limit } : {}) }) as grpc.ClientReadableStream<LogEventMessage>;
  calls.push(call);
  const events: LogEventMessage[] = [];
  call.on('data', (event: LogEventMessage) => events.push(event));
  call.on('error', () => undefined);
  const ended = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
  return { events, ended };
}

async function consumerCount(): Promise<number> {
  return (await (await nc.jetstreamManager()).streams.info(ns.streams.logs)).state.consumer_count;
}

async function until(probe: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('LogsService', () => {
  it('returns only the function’s newest logs, oldest first, and deletes its scan consumer', async () => {
    const ids = await publish('alpha', 5);
    await publish('beta', 2);
    const events = await getLogs({ functionName: 'alpha', limit: 3 });
    expect(events.map((e) => e.requestId)).toEqual(ids.slice(-3));
    expect(events[0]).toMatchObject({ functionName: 'alpha', version: '$LATEST', nodeId: 'n1', message: `log of ${ids[2]}\n` });
    expect(await consumerCount()).toBe(0);
  });

  it('lists each log’s events: a multi-line console call as one; logs stored without framing, batched or not, one event per line', async () => {
    const startMs = Date.parse('2026-12-06T10:00:00.000Z');
    const text = 'START RequestId: f1\n2026-12-06T10:00:00.004Z\tf1\tERROR\tError: boom\n    at handler (/var/task/index.js:1:1)\nEND RequestId: f1\n';
    publisher.publish({ requestId: 'f1', functionName: 'framed', version: '1', nodeId: 'n1', timestampMs: startMs, message: text, eventSpans: [1, 2] });
    await publisher.flush();
    expect((await getLogs({ functionName: 'framed', eventsOnly: true }))[0]?.events).toEqual([
      { timestampMs: startMs, message: 'START RequestId: f1' },
      { timestampMs: startMs + 4, message: '2026-12-06T10:00:00.004Z\tf1\tERROR\tError: boom\n    at handler (/var/task/index.js:1:1)' },
      { timestampMs: startMs + 4, message: 'END RequestId: f1' },
    ]);
    const [eventsOnly] = await getLogs({ functionName: 'framed', eventsOnly: true });
    expect(eventsOnly?.message).toBe('');

    const js = nc.jetstream();
    // As nodes stored a batch before framing: the index without spans.
    const batch = encodeLogBatch('unframed', 'n0', [{ entry: { requestId: 'u1', functionName: 'unframed', version: '1', nodeId: 'n0', timestampMs: startMs, message: 'a\nb\n' }, bodyBytes: 4 }]);
    await js.publish(ns.subjects.functionLogs('unframed'), batch.body, { headers: batch.headers });
    // As nodes stored one entry per message before batching.
    const h = natsHeaders();
    h.set(LOG_HEADERS.functionName, 'unframed');
    h.set(LOG_HEADERS.nodeId, 'n0');
    h.set(LOG_HEADERS.requestId, 'u2');
    h.set(LOG_HEADERS.version, '1');
    h.set(LOG_HEADERS.timestampMs, String(startMs + 1));
    await js.publish(ns.subjects.functionLogs('unframed'), new TextEncoder().encode('c\nd\n'), { headers: h });
    const old = await getLogs({ functionName: 'unframed', eventsOnly: true });
    expect(old.map((e) => e.events.map((ev) => ev.message))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('gives each log once: its whole text by default (as clients from before events read it), its events instead with events_only', async () => {
    const startMs = Date.parse('2026-12-06T11:00:00.000Z');
    let text = 'START RequestId: once\n';
    for (let i = 0; i < 100; i++) text += `2026-12-06T11:00:00.${String(i).padStart(3, '0')}Z\tonce\tINFO\tline ${i}\n`;
    text += '2026-12-06T11:00:00.100Z\tonce\tERROR\tError: two\n    lines\nEND RequestId: once\n';
    publisher.publish({ requestId: 'once', functionName: 'once', version: '1', nodeId: 'n1', timestampMs: startMs, message: text, eventSpans: [101, 2] });
    await publisher.flush();

    const [whole] = await getLogs({ functionName: 'once' });
    expect(whole).toMatchObject({ requestId: 'once', message: text, events: [] });
    const tailed = tail('once', 1);
    await until(() => tailed.events.length === 1, 'the log on the tail');
    expect(tailed.events[0]).toMatchObject({ message: text, events: [] });

    const [framed] = await getLogs({ functionName: 'once', eventsOnly: true });
    expect(framed?.message).toBe('');
    expect(framed?.events).toHaveLength(103);
    // The events are the text, once: nothing left out, nothing twice.
    expect(framed?.events.map((event) => `${event.message}\n`).join('')).toBe(text);
  });

  it('rejects a bad function name and a limit over the maximum', async () => {
    await expect(getLogs({ functionName: 'no spaces' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(getLogs({ functionName: 'alpha', limit: 10_001 })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });

  it('follows new logs without repeating the history, and deletes its consumer when the client cancels', async () => {
    const before = await publish('gamma', 2);
    const t = tail('gamma', 1);
    await until(() => t.events.length === 1, 'the history');
    const after = await publish('gamma', 2);
    await until(() => t.events.length === 3, 'the new logs');
    expect(t.events.map((e) => e.requestId)).toEqual([before[1], ...after]);
    calls.splice(0).forEach((call) => call.cancel());
    await t.ended;
    await until(async () => (await consumerCount()) === 0, 'the tail consumer to be deleted');
  });

  it('ends every tail cleanly when closed, and refuses new ones', async () => {
    await publish('delta', 1);
    const first = tail('delta', 0);
    const second = tail('delta', 0);
    await until(async () => (await consumerCount()) === 2, 'both tails to follow');
    service.close();
    expect((await first.ended).code).toBe(grpc.status.OK);
    expect((await second.ended).code).toBe(grpc.status.OK);
    await until(async () => (await consumerCount()) === 0, 'the tail consumers to be deleted');
    const late = tail('delta');
    expect((await late.ended).code).toBe(grpc.status.UNAVAILABLE);
  });
});
