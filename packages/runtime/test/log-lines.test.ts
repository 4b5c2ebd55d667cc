import { describe, expect, it } from 'vitest';
import { isoTime, platformJsonLine } from '../src/log-buffer.js';
import { platformReportRecord, platformStartRecord, runtimeDoneRecord } from '../src/report.js';

// Strings a record may carry: request ids and versions as callers send them, error types a handler made up.
const ODD = ['c0ffee00-1234-4abc-8def-0123456789ab', '$LATEST', 'x"Runtime.Foo\\', 'ligne\nsuivante\ttab', 'é ✓ 🙂', '\u0000\u001f', 'lone \ud800 surrogate', ''];

describe('log line formatting', () => {
  it('isoTime writes what Date#toISOString writes', () => {
    const now = Date.now();
    const times = [0, -0, 0.4, 999.9, 1000, 59_999, 946_684_799_999, 951_782_400_000, now, now + 0.5, now - 0.25, 253_402_300_799_999];
    for (let i = 0; i < 5_000; i++) times.push(now + i * 37.3, now - i * 1013);
    for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
    // Outside four-digit years, and before 1970, Date's own text.
    for (const t of [253_402_300_800_000, 8.64e15, -1, -0.5, -1_000_000_000_000, -62_198_755_200_001]) expect(isoTime(t)).toBe(new Date(t).toISOString());
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });

  it('platform event lines are the bytes JSON.stringify gives for their records', () => {
    const t = Date.now() - 0.37;
    for (const a of ODD) {
      for (const b of ODD) {
        expect(platformJsonLine(t, 'platform.start', platformStartRecord(a, b))).toBe(
          JSON.stringify({ time: new Date(t).toISOString(), type: 'platform.start', record: { requestId: a, version: b } }),
        );
        for (const errorType of [undefined, b]) {
          expect(runtimeDoneRecord(a, 'error', errorType)).toBe(JSON.stringify({ requestId: a, status: 'error', ...(errorType !== undefined ? { errorType } : {}) }));
        }
      }
    }
    for (const [durationMs, initDurationMs, maxMemoryUsedMB] of [
      [0.31, undefined, 2],
      [12_345.67, 38.4, 128],
      [0, 0, 0],
      [Number.NaN, Number.POSITIVE_INFINITY, -0],
    ] as const) {
      for (const errorType of [undefined, 'Runtime.ExitError', ODD[2]]) {
        const fields = { requestId: ODD[0] as string, durationMs, billedDurationMs: 13, memorySizeMB: 128, maxMemoryUsedMB, initDurationMs, status: 'timeout', errorType };
        expect(platformReportRecord(fields)).toBe(
          JSON.stringify({
            requestId: fields.requestId,
            metrics: {
              durationMs,
              billedDurationMs: 13,
              memorySizeMB: 128,
              maxMemoryUsedMB,
              ...(initDurationMs !== undefined ? { initDurationMs } : {}),
            },
            status: 'timeout',
            ...(errorType !== undefined ? { errorType } : {}),
          }),
        );
      }
    }
  });
});
