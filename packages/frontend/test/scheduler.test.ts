import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { StratusError } from '@stratus/errors';
import { scheduleRecordFrom, type ScheduleInput, type StoredSchedule } from '../src/schedules/schedule-record.js';
import { Scheduler, flexibleDelayMs, schedulePayload, tickRequestId, type ScheduledTick } from '../src/schedules/scheduler.js';
import { TriggerRegistry } from '../src/triggers.js';

const log = pino({ level: 'silent' });
const T0 = Date.parse('2026-12-06T14:00:00Z');

function record(input: Partial<ScheduleInput> & { scheduleExpression: string }, nowMs = T0): StoredSchedule {
  return scheduleRecordFrom({ name: 'every-minute', target: { functionName: 'fn' }, ...input }, nowMs);
}

/** A scheduler over a fixed set of schedules whose `fire` records each tick (or fails as told). */
function harness(schedules: StoredSchedule[], options: { fail?: () => Error | undefined; graceMs?: number } = {}) {
  const fired: ScheduledTick[] = [];
  const completed: string[] = [];
  const metrics = new Registry();
  const triggers = new TriggerRegistry(metrics, log);
  const scheduler = Scheduler.start({
    schedules: () => schedules,
    fire: (tick) => {
      const err = options.fail?.();
      if (err) return Promise.reject(err);
      fired.push(tick);
      return Promise.resolve();
    },
    completed: (name) => {
      completed.push(name);
      return Promise.resolve();
    },
    idScope: 'test',
    triggers,
    log,
    ...(options.graceMs !== undefined ? { lateTickGraceMs: options.graceMs } : {}),
  });
  return { fired, completed, scheduler, triggers, metrics };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Scheduler', () => {
  it('fires each tick once, at its time, with the same request id any frontend would compute', async () => {
    const schedule = record({ scheduleExpression: 'rate(1 minute)' });
    const { fired, scheduler } = harness([schedule]);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(fired).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(fired.map((t) => new Date(t.tickMs).toISOString())).toEqual(['2026-12-06T14:01:00.000Z', '2026-12-06T14:02:00.000Z']);
    expect(fired[0]?.requestId).toBe(tickRequestId('test', schedule, T0 + 60_000, 'request'));
    expect(fired[0]?.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(fired.map((t) => t.requestId)).size).toBe(2);
    await scheduler.close();
  });

  it("gives the function EventBridge's Scheduled Event document, or the target's input", () => {
    const schedule = record({ scheduleExpression: 'rate(5 minutes)' });
    const event = JSON.parse(Buffer.from(schedulePayload(schedule, T0 + 300_000, 'test')).toString()) as Record<string, unknown>;
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '000000000000',
      time: '2026-12-06T14:05:00Z',
      region: 'local',
      resources: ['arn:aws:scheduler:local:000000000000:schedule/default/every-minute'],
      detail: {},
    });
    expect(event['id']).not.toBe(tickRequestId('test', schedule, T0 + 300_000, 'request'));
    const withInput = record({ scheduleExpression: 'rate(5 minutes)', target: { functionName: 'fn', input: '{"job":"nightly"}' } });
    expect(Buffer.from(schedulePayload(withInput, T0, 'test')).toString()).toBe('{"job":"nightly"}');
  });

  it('skips ticks missed while no frontend ran (no catch-up), but fires one a restart came back within the grace for', async () => {
    // Made at 13:50 with rate(1 minute): ticks at every whole minute since.
    const schedule = record({ scheduleExpression: 'rate(1 minute)' }, T0 - 10 * 60_000);
    // The frontend starts at 14:00:20: 13:51 to 13:59 are more than 30 s late and skipped; 14:00 is 20 s late and fires.
    vi.setSystemTime(T0 + 20_000);
    const { fired, scheduler, metrics } = harness([schedule]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired.map((t) => new Date(t.tickMs).toISOString())).toEqual(['2026-12-06T14:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired).toHaveLength(2);
    // A frontend whose event loop stalls past the grace skips what it missed instead of firing it late.
    vi.setSystemTime(Date.now() + 5 * 60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    const ticks = fired.map((t) => new Date(t.tickMs).toISOString());
    expect(ticks.slice(0, 2)).toEqual(['2026-12-06T14:00:00.000Z', '2026-12-06T14:01:00.000Z']);
    expect(ticks).not.toContain('2026-12-06T14:03:00.000Z');
    expect(await metrics.metrics()).toMatch(/stratus_trigger_fires_total\{kind="schedule",name="every-minute",outcome="missed"\} [1-9]/);
    await scheduler.close();
  });

  it('does not fire a DISABLED schedule, and stops firing at the end date', async () => {
    const off = record({ name: 'off', scheduleExpression: 'rate(1 minute)', state: 'DISABLED' });
    const ending = record({ name: 'ending', scheduleExpression: 'rate(1 minute)', endDateMs: T0 + 150_000 });
    const { fired, scheduler } = harness([off, ending]);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fired.map((t) => `${t.schedule.name}@${(t.tickMs - T0) / 60_000}`)).toEqual(['ending@1', 'ending@2']);
    expect(scheduler.triggers().map((t) => [t.name, t.state, t.nextFireMs])).toEqual([
      ['off', 'DISABLED', undefined],
      ['ending', 'COMPLETED', undefined],
    ]);
    await scheduler.close();
  });

  it('fires at() once and deletes it afterwards when asked', async () => {
    const once = record({ name: 'once', scheduleExpression: 'at(2026-12-06T15:30:00)', timezone: 'Europe/Berlin', actionAfterCompletion: 'DELETE' });
    const { fired, completed, scheduler } = harness([once]);
    await vi.advanceTimersByTimeAsync(3 * 3600_000);
    expect(fired.map((t) => new Date(t.tickMs).toISOString())).toEqual(['2026-12-06T14:30:00.000Z']);
    expect(completed).toEqual(['once']);
    await scheduler.close();
  });

  it('spreads a flexible window’s ticks by a hash every frontend computes alike, within the window', async () => {
    const flexible = record({ scheduleExpression: 'rate(1 hour)', flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 } });
    const delay = flexibleDelayMs(flexible, T0 + 3600_000);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(15 * 60_000);
    expect(flexibleDelayMs(flexible, T0 + 3600_000)).toBe(delay);
    const { fired, scheduler } = harness([flexible]);
    await vi.advanceTimersByTimeAsync(3600_000 + delay - 1000);
    expect(fired).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(fired).toHaveLength(1);
    expect(fired[0]?.tickMs).toBe(T0 + 3600_000);
    await scheduler.close();
  });

  it('reports a target that is gone as the trigger’s last error, drops the tick, and fires the next once it is back', async () => {
    let gone = true;
    const schedule = record({ scheduleExpression: 'rate(1 minute)' });
    const { fired, scheduler, metrics } = harness([schedule], { fail: () => (gone ? new StratusError('FUNCTION_NOT_FOUND', 'Function not found: fn') : undefined) });
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(fired).toHaveLength(0);
    const [status] = scheduler.triggers();
    expect(status).toMatchObject({ state: 'ENABLED', lastError: 'FUNCTION_NOT_FOUND: Function not found: fn', nextFireMs: T0 + 3 * 60_000 });
    expect(await metrics.metrics()).toContain('stratus_trigger_fires_total{kind="schedule",name="every-minute",outcome="error"} 2');
    gone = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired.map((t) => t.tickMs)).toEqual([T0 + 3 * 60_000]);
    expect(scheduler.triggers()[0]).toMatchObject({ lastFireMs: T0 + 3 * 60_000, lagMs: 0 });
    await scheduler.close();
  });

  it('follows changes: a new schedule fires from now on, a deleted one stops', async () => {
    const schedules: StoredSchedule[] = [];
    const { fired, scheduler } = harness(schedules);
    const added = record({ name: 'added', scheduleExpression: 'rate(1 minute)' }, T0 + 30_000);
    schedules.push(added);
    scheduler.changed('added', added);
    await vi.advanceTimersByTimeAsync(91_000);
    expect(fired.map((t) => t.tickMs)).toEqual([T0 + 90_000]);
    scheduler.changed('added', undefined);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(fired).toHaveLength(1);
    expect(scheduler.triggers()).toEqual([]);
    await scheduler.close();
  });
});
