import { describe, expect, test } from 'vitest';
import { headers as natsHeaders } from 'nats';
import { LOG_HEADERS, encodeLogBatch, readLogEntries, splitLogEvents, type LogEntry } from '../src/index.js';
import { capped } from '../src/log-publisher.js';

const START_MS = Date.parse('2026-12-06T10:00:00.000Z');
const text = [
  'START RequestId: r1 Version: $LATEST',
  '2026-12-06T10:00:00.005Z\tr1\tINFO\tone line',
  '2026-12-06T10:00:00.007Z\tr1\tERROR\tError: boom',
  '    at handler (/var/task/index.js:3:9)',
  '    at run (/var/task/index.js:9:1)',
  '2026-12-06T10:00:00.009Z\tr1\tINFO\tafter',
  'END RequestId: r1',
  'REPORT RequestId: r1\tDuration: 10.00 ms',
  '',
].join('\n');

describe('log events', () => {
  test('a multi-line console call is one event, every other line an event of its own, with their timestamps', () => {
    expect(splitLogEvents(text, [2, 3], START_MS)).toEqual([
      { timestampMs: START_MS, message: 'START RequestId: r1 Version: $LATEST' },
      { timestampMs: START_MS + 5, message: '2026-12-06T10:00:00.005Z\tr1\tINFO\tone line' },
      {
        timestampMs: START_MS + 7,
        message: '2026-12-06T10:00:00.007Z\tr1\tERROR\tError: boom\n    at handler (/var/task/index.js:3:9)\n    at run (/var/task/index.js:9:1)',
      },
      { timestampMs: START_MS + 9, message: '2026-12-06T10:00:00.009Z\tr1\tINFO\tafter' },
      { timestampMs: START_MS + 9, message: 'END RequestId: r1' },
      { timestampMs: START_MS + 9, message: 'REPORT RequestId: r1\tDuration: 10.00 ms' },
    ]);
  });

  test('an entry stored without spans reads as one event per line', () => {
    expect(splitLogEvents(text, undefined, START_MS).map((e) => e.message)).toEqual(text.split('\n').slice(0, -1));
  });

  test('JSON records and platform events carry their own timestamps', () => {
    const json = '{"time":"2026-12-06T10:00:01.000Z","type":"platform.start","record":{}}\n{"timestamp":"2026-12-06T10:00:01.250Z","level":"INFO","message":"a\\nb"}\n';
    expect(splitLogEvents(json, undefined, START_MS).map((e) => e.timestampMs)).toEqual([START_MS + 1000, START_MS + 1250]);
  });

  test('spans travel in the batch index and come back with each entry; entries without spans stay without', () => {
    const base = { functionName: 'fn', version: '$LATEST', nodeId: 'n1', timestampMs: START_MS };
    const framed: LogEntry = { ...base, requestId: 'r1', message: text, eventSpans: [2, 3] };
    const plain: LogEntry = { ...base, requestId: 'r2', message: 'START RequestId: r2 Version: $LATEST\n' };
    const batch = encodeLogBatch('fn', 'n1', [framed, plain].map((entry) => ({ entry, bodyBytes: Buffer.byteLength(entry.message) })));
    const [first, second] = readLogEntries(batch.headers, batch.body);
    expect(first).toEqual(framed);
    expect(second).toEqual(plain);
    expect(second).not.toHaveProperty('eventSpans');
  });

  test('malformed spans cost an entry its framing, not its text', () => {
    const h = natsHeaders();
    h.set(LOG_HEADERS.functionName, 'fn');
    h.set(LOG_HEADERS.nodeId, 'n1');
    h.set(LOG_HEADERS.index, JSON.stringify([['r1', '1', START_MS, 4, [3, 1, 'x']]]));
    expect(readLogEntries(h, new TextEncoder().encode('a\nb\n'))).toEqual([
      { requestId: 'r1', functionName: 'fn', version: '1', nodeId: 'n1', timestampMs: START_MS, message: 'a\nb\n' },
    ]);
  });

  test('a log cut to its head and tail keeps the framing of the events it keeps', () => {
    const lines = ['START'];
    for (let i = 0; i < 200; i++) lines.push(`event ${i} first line`, `event ${i} second line`);
    lines.push('END', 'REPORT');
    const spans: number[] = [];
    for (let i = 0; i < 200; i++) spans.push(1 + 2 * i, 2);
    const body = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const cut = capped(body, 2000, spans);
    const events = splitLogEvents(new TextDecoder().decode(cut.body), cut.eventSpans, START_MS).map((e) => e.message);
    expect(events[0]).toBe('START');
    expect(events.slice(-2)).toEqual(['END', 'REPORT']);
    const marker = events.findIndex((m) => m.startsWith('[stratus]'));
    expect(marker).toBeGreaterThan(0);
    // Every kept event but the ones the cut split is whole: both of its lines, together.
    const whole = events.filter((m) => /^event (\d+) first line\nevent \1 second line$/.test(m));
    const halves = events.filter((m) => m.startsWith('event ') && !whole.includes(m));
    expect(halves.length).toBeLessThanOrEqual(2);
    expect(whole.length).toBeGreaterThan(20);
  });
});
