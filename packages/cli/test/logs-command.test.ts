import { describe, expect, it } from 'vitest';
import type { LogEventMessage } from '@stratus/contracts/grpc';
import { eventsText, jsonEvents, sinceTime } from '../src/commands/logs.js';

describe('stratus logs --since', () => {
  const nowMs = Date.parse('2024-05-01T12:00:00.000Z');

  it('takes a duration back from now', () => {
    expect(sinceTime('30s', nowMs)).toBe(nowMs - 30_000);
    expect(sinceTime('10m', nowMs)).toBe(nowMs - 600_000);
    expect(sinceTime('2h', nowMs)).toBe(nowMs - 7_200_000);
    expect(sinceTime('7d', nowMs)).toBe(nowMs - 7 * 86_400_000);
  });

  it('takes an ISO 8601 time', () => {
    expect(sinceTime('2024-05-01T11:00:00Z', nowMs)).toBe(Date.parse('2024-05-01T11:00:00Z'));
    expect(sinceTime('2024-05-01', nowMs)).toBe(Date.parse('2024-05-01'));
  });

  it('rejects anything else as a usage error', () => {
    expect(() => sinceTime('yesterday', nowMs)).toThrow(/expected a duration/);
    expect(() => sinceTime('10', nowMs)).toThrow(/expected a duration/);
    expect(() => sinceTime('-5m', nowMs)).toThrow(/expected a duration/);
  });
});

describe('stratus logs prints events', () => {
  const startMs = Date.parse('2024-05-01T12:00:00.000Z');
  const log: LogEventMessage = {
    requestId: 'r1',
    functionName: 'fn',
    version: '$LATEST',
    nodeId: 'n1',
    timestampMs: startMs,
    message: 'START RequestId: r1\n2024-05-01T12:00:00.001Z\tr1\tINFO\ttwo\nlines\nEND RequestId: r1\n',
    events: [
      { timestampMs: startMs, message: 'START RequestId: r1' },
      { timestampMs: startMs + 1, message: '2024-05-01T12:00:00.001Z\tr1\tINFO\ttwo\nlines' },
      { timestampMs: startMs + 1, message: 'END RequestId: r1' },
    ],
  };

  it('for people, with the lines of a multi-line event after its first indented, so only events start at the margin', () => {
    expect(eventsText(log)).toBe('START RequestId: r1\n2024-05-01T12:00:00.001Z\tr1\tINFO\ttwo\n  lines\nEND RequestId: r1\n');
  });

  it('with --json, as CloudWatch events: timestamp in ms and the message as the function logged it', () => {
    expect(jsonEvents(log)).toEqual([
      { timestamp: startMs, message: 'START RequestId: r1', requestId: 'r1' },
      { timestamp: startMs + 1, message: '2024-05-01T12:00:00.001Z\tr1\tINFO\ttwo\nlines', requestId: 'r1' },
      { timestamp: startMs + 1, message: 'END RequestId: r1', requestId: 'r1' },
    ]);
  });

  it('reads a log from a frontend that sends no events as one event per line', () => {
    expect(jsonEvents({ ...log, events: [] }).map((e) => e.message)).toEqual(['START RequestId: r1', '2024-05-01T12:00:00.001Z\tr1\tINFO\ttwo', 'lines', 'END RequestId: r1']);
  });
});
