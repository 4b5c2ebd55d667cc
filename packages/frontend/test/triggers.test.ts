import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { pino } from 'pino';
import { TriggerRegistry, toTriggerMessage, type TriggerStatus } from '../src/triggers.js';

const log = pino({ level: 'silent' });

function trigger(kind: string, name: string, extra: Partial<TriggerStatus> = {}): TriggerStatus {
  return { kind, name, functionName: 'fn', qualifier: '', state: 'ENABLED', source: 'rate(1 minute)', ...extra };
}

describe('TriggerRegistry', () => {
  it('lists every registered source by kind then name, filtered by kind and function, and forgets a source that leaves', async () => {
    const registry = new TriggerRegistry(new Registry(), log);
    registry.register({ kind: 'schedule', triggers: () => [trigger('schedule', 'b'), trigger('schedule', 'a', { functionName: 'other' })] });
    const leave = registry.register({ kind: 'event-source-mapping', triggers: () => Promise.resolve([trigger('event-source-mapping', 'z')]) });
    expect((await registry.list()).map((t) => `${t.kind}/${t.name}`)).toEqual(['event-source-mapping/z', 'schedule/a', 'schedule/b']);
    expect((await registry.list({ kind: 'schedule' })).map((t) => t.name)).toEqual(['a', 'b']);
    expect((await registry.list({ functionName: 'other' })).map((t) => t.name)).toEqual(['a']);
    leave();
    leave();
    expect((await registry.list()).map((t) => t.kind)).toEqual(['schedule', 'schedule']);
  });

  it('leaves out a source that fails to answer instead of failing the listing', async () => {
    const registry = new TriggerRegistry(new Registry(), log);
    registry.register({ kind: 'broken', triggers: () => Promise.reject(new Error('down')) });
    registry.register({ kind: 'schedule', triggers: () => [trigger('schedule', 'ok')] });
    expect((await registry.list()).map((t) => t.name)).toEqual(['ok']);
  });

  it('exports state, lag, backlog and firings to Prometheus', async () => {
    const metrics = new Registry();
    const registry = new TriggerRegistry(metrics, log);
    registry.register({
      kind: 'schedule',
      triggers: () => [trigger('schedule', 'on', { lagMs: 1500 }), trigger('schedule', 'off', { state: 'DISABLED' })],
    });
    registry.register({ kind: 'event-source-mapping', triggers: () => [trigger('event-source-mapping', 'queue', { backlog: 42, lagMs: 250 })] });
    registry.fired('schedule', 'on', 'ok');
    registry.fired('schedule', 'on', 'ok');
    registry.fired('schedule', 'on', 'error');
    const text = await metrics.metrics();
    expect(text).toContain('stratus_trigger_enabled{kind="schedule",name="on",state="ENABLED"} 1');
    expect(text).toContain('stratus_trigger_enabled{kind="schedule",name="off",state="DISABLED"} 0');
    expect(text).toContain('stratus_trigger_lag_seconds{kind="schedule",name="on"} 1.5');
    expect(text).toContain('stratus_trigger_backlog{kind="event-source-mapping",name="queue"} 42');
    expect(text).toContain('stratus_trigger_fires_total{kind="schedule",name="on",outcome="ok"} 2');
    expect(text).toContain('stratus_trigger_fires_total{kind="schedule",name="on",outcome="error"} 1');
  });

  it('puts unknown times and counts on the wire as 0 and empty strings', () => {
    expect(toTriggerMessage(trigger('schedule', 'x'))).toEqual({
      kind: 'schedule',
      name: 'x',
      functionName: 'fn',
      qualifier: '',
      state: 'ENABLED',
      source: 'rate(1 minute)',
      lastFireMs: 0,
      nextFireMs: 0,
      lagMs: 0,
      backlog: 0,
      lastError: '',
      lastErrorMs: 0,
    });
  });
});
