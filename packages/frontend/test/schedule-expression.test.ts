import { describe, expect, it } from 'vitest';
import { TickCalculator, checkTimeZone, localTimeToMs, parseScheduleExpression, type TickPlan } from '../src/schedules/expression.js';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const at = (text: string): number => Date.parse(text);

function ticks(plan: Omit<TickPlan, 'expression' | 'rateAnchorMs'> & { expression: string; rateAnchorMs?: number }, from: string, count: number): (string | undefined)[] {
  const calc = new TickCalculator({ ...plan, expression: parseScheduleExpression(plan.expression), rateAnchorMs: plan.rateAnchorMs ?? at(from) });
  const out: (string | undefined)[] = [];
  let after = at(from);
  for (let i = 0; i < count; i++) {
    const next = calc.next(after);
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
}

describe('parseScheduleExpression', () => {
  it('reads EventBridge rate(), cron() and at() expressions', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toMatchObject({ kind: 'rate', intervalMs: 60_000 });
    expect(parseScheduleExpression('rate(5 minutes)')).toMatchObject({ kind: 'rate', intervalMs: 300_000 });
    expect(parseScheduleExpression('rate(2 hours)')).toMatchObject({ kind: 'rate', intervalMs: 7_200_000 });
    expect(parseScheduleExpression('rate(1 day)')).toMatchObject({ kind: 'rate', intervalMs: 86_400_000 });
    for (const text of ['cron(0 12 * * ? *)', 'cron(0/15 * * * ? *)', 'cron(0 8 ? * MON-FRI *)', 'cron(0 10 L * ? *)', 'cron(0 10 15W * ? *)', 'cron(0 10 ? * 6#3 *)', 'cron(0 10 ? * 5L *)', 'cron(0 10 ? * L *)', 'cron(15 10 ? JAN,JUL * 2027-2030)']) {
      expect(parseScheduleExpression(text), text).toMatchObject({ kind: 'cron', text });
    }
    expect(parseScheduleExpression('at(2026-12-24T10:00:00)')).toMatchObject({ kind: 'at', localTime: { year: 2026, month: 12, day: 24, hour: 10, minute: 0, second: 0 } });
  });

  it('refuses anything else, naming scheduleExpression and what the grammar allows', () => {
    const refusals: [string, RegExp][] = [
      ['every 5 minutes', /not an expression; use rate\(VALUE UNIT\).*cron\(MINUTES HOURS DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR\).*at\(yyyy-mm-ddThh:mm:ss\)/],
      ['rate(1 second)', /shortest rate is 1 minute/],
      ['rate(30 seconds)', /shortest rate is 1 minute/],
      ['rate(0 minutes)', /at least 1/],
      ['rate(1 minutes)', /singular for 1 and plural otherwise/],
      ['rate(5 minute)', /singular for 1 and plural otherwise/],
      ['rate(1 week)', /minute\(s\), hour\(s\) or day\(s\)/],
      ['rate(1.5 hours)', /whole number and a unit/],
      ['cron(* * * * * * *)', /has 7 fields; cron\(\) takes exactly 6 .* no seconds: the shortest period is 1 minute/],
      ['cron(0 12 * * *)', /has 5 fields/],
      ['cron(0 12 * * * *)', /exactly one of day-of-month and day-of-week must be \?/],
      ['cron(0 12 ? * ? *)', /exactly one of day-of-month and day-of-week must be \?/],
      ['cron(61 12 * * ? *)', /minutes field "61" goes outside 0-59/],
      ['cron(0 25 * * ? *)', /hours field "25" goes outside 0-23/],
      ['cron(0 12 * 13 ? *)', /month field "13" goes outside 1-12/],
      ['cron(0 12 ? * 8 *)', /day-of-week field "8" goes outside 1-7/],
      ['cron(0 12 * * ? 1800)', /year field "1800" goes outside 1970-2199/],
      ['cron(0 12 * * ? $(rm))', /year field "\$\(rm\)" is not allowed there/],
      ['at(2026-02-30T10:00:00)', /is not a date and time/],
      ['at(2026-12-24T10:00:00Z)', /without a zone/],
      ['at(2026-12-24)', /yyyy-mm-ddThh:mm:ss/],
    ];
    for (const [text, message] of refusals) {
      let caught: unknown;
      try {
        parseScheduleExpression(text);
      } catch (err) {
        caught = err;
      }
      expect(caught, text).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'scheduleExpression' } });
      expect((caught as Error).message, text).toMatch(/^scheduleExpression: /);
      expect((caught as Error).message, text).toMatch(message);
    }
  });

  it('knows IANA time zones and refuses others by name', () => {
    expect(() => checkTimeZone('Europe/Berlin')).not.toThrow();
    expect(() => checkTimeZone('UTC')).not.toThrow();
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/scheduleExpressionTimezone: "Mars\/Olympus" is not an IANA time zone/);
  });
});

describe('TickCalculator', () => {
  it('puts rate() ticks one interval apart from when it was set, or from the start date, the first at the start date itself', () => {
    expect(ticks({ expression: 'rate(5 minutes)', timezone: 'UTC' }, '2026-12-06T14:02:13.000Z', 3)).toEqual([
      '2026-12-06T14:07:13.000Z',
      '2026-12-06T14:12:13.000Z',
      '2026-12-06T14:17:13.000Z',
    ]);
    const startMs = at('2026-12-06T15:00:00Z');
    expect(ticks({ expression: 'rate(1 hour)', timezone: 'UTC', startMs, rateAnchorMs: startMs }, '2026-12-06T14:02:13.000Z', 2)).toEqual([
      '2026-12-06T15:00:00.000Z',
      '2026-12-06T16:00:00.000Z',
    ]);
    // Asked in the middle of the run, it continues the same grid.
    expect(ticks({ expression: 'rate(1 hour)', timezone: 'UTC', startMs, rateAnchorMs: startMs }, '2026-12-07T03:30:00.000Z', 1)).toEqual(['2026-12-07T04:00:00.000Z']);
  });

  it('reads cron() in the schedule’s time zone', () => {
    expect(ticks({ expression: 'cron(0 12 * * ? *)', timezone: 'UTC' }, '2026-12-06T14:30:00Z', 2)).toEqual(['2026-12-07T12:00:00.000Z', '2026-12-08T12:00:00.000Z']);
    expect(ticks({ expression: 'cron(0 12 * * ? *)', timezone: 'America/New_York' }, '2026-12-06T14:30:00Z', 1)).toEqual(['2026-12-06T17:00:00.000Z']);
    expect(ticks({ expression: 'cron(0 9 ? * MON-FRI *)', timezone: 'Asia/Tokyo' }, '2026-12-04T01:00:00Z', 2)).toEqual(['2026-12-07T00:00:00.000Z', '2026-12-08T00:00:00.000Z']);
    // 1 is Sunday in EventBridge's day-of-week, L the last day of the month, 6#3 the third Friday, 5L the last Thursday, L alone Saturday.
    expect(ticks({ expression: 'cron(0 10 ? * 1 *)', timezone: 'UTC' }, '2026-12-06T14:30:00Z', 1)).toEqual(['2026-12-13T10:00:00.000Z']);
    expect(ticks({ expression: 'cron(0 10 L * ? *)', timezone: 'UTC' }, '2027-02-01T00:00:00Z', 1)).toEqual(['2027-02-28T10:00:00.000Z']);
    expect(ticks({ expression: 'cron(0 10 ? * 6#3 *)', timezone: 'UTC' }, '2026-12-06T14:30:00Z', 1)).toEqual(['2026-12-18T10:00:00.000Z']);
    expect(ticks({ expression: 'cron(0 10 ? * 5L *)', timezone: 'UTC' }, '2026-12-06T14:30:00Z', 1)).toEqual(['2026-12-31T10:00:00.000Z']);
    expect(ticks({ expression: 'cron(0 10 ? * L *)', timezone: 'UTC' }, '2026-12-06T14:30:00Z', 1)).toEqual(['2026-12-12T10:00:00.000Z']);
    expect(ticks({ expression: 'cron(0 10 15W * ? *)', timezone: 'UTC' }, '2027-05-01T00:00:00Z', 1)).toEqual(['2027-05-14T10:00:00.000Z']);
  });

  it('fires a local time the spring change skips at the end of the gap, and one the autumn change repeats once', () => {
    // Europe/Berlin: 2027-03-28 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET.
    expect(ticks({ expression: 'cron(30 2 * * ? *)', timezone: 'Europe/Berlin' }, '2027-03-27T00:00:00Z', 3)).toEqual([
      '2027-03-27T01:30:00.000Z',
      '2027-03-28T01:00:00.000Z',
      '2027-03-29T00:30:00.000Z',
    ]);
    expect(ticks({ expression: 'cron(30 2 * * ? *)', timezone: 'Europe/Berlin' }, '2026-10-24T00:00:00Z', 3)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    // An hourly schedule keeps firing every real hour through both changes.
    expect(ticks({ expression: 'cron(0 * * * ? *)', timezone: 'Europe/Berlin' }, '2026-10-24T23:30:00Z', 4)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
    // rate() is elapsed time: DST does not move it.
    expect(ticks({ expression: 'rate(1 hour)', timezone: 'Europe/Berlin' }, '2027-03-28T00:00:00Z', 3)).toEqual([
      '2027-03-28T01:00:00.000Z',
      '2027-03-28T02:00:00.000Z',
      '2027-03-28T03:00:00.000Z',
    ]);
  });

  it('fires at() once, read in its zone, and nothing outside the start and end dates', () => {
    expect(ticks({ expression: 'at(2026-12-24T10:00:00)', timezone: 'Europe/Berlin' }, '2026-12-06T14:30:00Z', 2)).toEqual(['2026-12-24T09:00:00.000Z', undefined]);
    expect(ticks({ expression: 'at(2026-12-01T10:00:00)', timezone: 'UTC' }, '2026-12-06T14:30:00Z', 1)).toEqual([undefined]);
    expect(localTimeToMs({ year: 2027, month: 3, day: 28, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin')).toBe(at('2027-03-28T01:00:00Z'));
    const window = { startMs: at('2026-12-10T00:00:00Z'), endMs: at('2026-12-12T12:00:00Z') };
    expect(ticks({ expression: 'cron(0 12 * * ? *)', timezone: 'UTC', ...window }, '2026-12-06T14:30:00Z', 5)).toEqual([
      '2026-12-10T12:00:00.000Z',
      '2026-12-11T12:00:00.000Z',
      undefined,
    ]);
    // A cron that can never match (30 February), and a year already past, have no tick.
    expect(ticks({ expression: 'cron(0 0 30 2 ? *)', timezone: 'UTC' }, '2026-12-06T14:30:00Z', 1)).toEqual([undefined]);
    expect(ticks({ expression: 'cron(0 12 * * ? 2020)', timezone: 'UTC' }, '2026-12-06T14:30:00Z', 1)).toEqual([undefined]);
  });
});
