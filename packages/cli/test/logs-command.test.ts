import { describe, expect, it } from 'vitest';
import { sinceTime } from '../src/commands/logs.js';

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
