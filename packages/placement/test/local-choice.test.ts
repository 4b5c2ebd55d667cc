import { describe, expect, it } from 'vitest';
import type { LocalOutlook } from '@stratus/contracts';
import { DEFAULT_MAX_LOCAL_WAIT_MS, DEFAULT_MAX_QUEUED_WAIT_MS, chooseLocal } from '../src/index.js';

/** A warm function on a running node with room: 4 environments busy, none idle, none waiting, each held 1 ms. */
function outlook(overrides: Partial<LocalOutlook> = {}): LocalOutlook {
  return { accepting: true, idle: 0, busy: 4, waiting: 0, slotsQueued: true, meanHoldMs: 1, ...overrides };
}
const noIdleElsewhere = { maxLocalWaitMs: 20, maxQueuedWaitMs: 500, idleElsewhere: () => false };
const idleElsewhere = { maxLocalWaitMs: 20, maxQueuedWaitMs: 500, idleElsewhere: () => true };

describe('chooseLocal (the combined role: in-process or over NATS)', () => {
  it('runs a call at once on an idle warm environment', () => {
    expect(chooseLocal(outlook({ idle: 1 }), idleElsewhere)).toBe('now');
  });

  it('leaves the call to placement when the node would refuse it: draining, at its in-flight limit, or holding back for usage', () => {
    expect(chooseLocal(outlook({ accepting: false, idle: 3 }), noIdleElsewhere)).toBe('elsewhere');
    expect(chooseLocal(outlook({ accepting: false }), noIdleElsewhere)).toBe('elsewhere');
  });

  it('leaves a function with no environment here to placement (a warm node elsewhere, or a cold start at its home)', () => {
    expect(chooseLocal(outlook({ busy: 0 }), noIdleElsewhere)).toBe('elsewhere');
    expect(chooseLocal(outlook({ busy: 0 }), idleElsewhere)).toBe('elsewhere');
  });

  it('leaves it to placement while no environment of the function has come back yet (its hold time is unknown)', () => {
    expect(chooseLocal(outlook({ busy: 1, meanHoldMs: undefined }), noIdleElsewhere)).toBe('elsewhere');
  });

  it('queues here, even with an idle environment elsewhere, while the expected wait is within the bound', () => {
    // (waiting + 1) × hold ÷ busy = (19 + 1) × 1 ÷ 1 = 20 ms: just within.
    expect(chooseLocal(outlook({ busy: 1, waiting: 19 }), idleElsewhere)).toBe('queue');
    // Many environments: a long line of waiting calls is still a short wait.
    expect(chooseLocal(outlook({ busy: 40, waiting: 700 }), idleElsewhere)).toBe('queue');
    // Waiting calls are few beside the environments, though each is held long.
    expect(chooseLocal(outlook({ busy: 10, waiting: 1, meanHoldMs: 50 }), idleElsewhere)).toBe('queue');
  });

  it('sends overflow to a node with an idle environment once the local queue would wait longer than the bound', () => {
    expect(chooseLocal(outlook({ busy: 1, waiting: 20 }), idleElsewhere)).toBe('elsewhere');
    expect(chooseLocal(outlook({ busy: 4, waiting: 0, meanHoldMs: 300 }), idleElsewhere)).toBe('elsewhere');
  });

  it('keeps a long queue here when no other node has an idle environment and the call would wait for one here', () => {
    expect(chooseLocal(outlook({ busy: 1, waiting: 400 }), noIdleElsewhere)).toBe('queue');
  });

  it('leaves a queue to placement once its wait would outlast half the node\'s 1 s hold-back (the call would start an environment after all)', () => {
    // (499 + 1) × 1 ÷ 1 = 500 ms: the last wait kept.
    expect(chooseLocal(outlook({ busy: 1, waiting: 499 }), noIdleElsewhere)).toBe('queue');
    expect(chooseLocal(outlook({ busy: 1, waiting: 500 }), noIdleElsewhere)).toBe('elsewhere');
    expect(chooseLocal(outlook({ busy: 60, waiting: 900, meanHoldMs: 60 }), noIdleElsewhere)).toBe('elsewhere');
  });

  it('leaves a long wait to placement when a call here would start an environment anyway (no isolate-slot queue), so load that needs more environments spreads', () => {
    expect(chooseLocal(outlook({ busy: 4, meanHoldMs: 300, slotsQueued: false }), noIdleElsewhere)).toBe('elsewhere');
    // A short wait stays here, whichever way the node then serves it.
    expect(chooseLocal(outlook({ busy: 4, meanHoldMs: 1, slotsQueued: false }), noIdleElsewhere)).toBe('queue');
  });

  it('asks about other nodes only when the local queue is long', () => {
    let asked = 0;
    const counting = { maxLocalWaitMs: 20, maxQueuedWaitMs: 500, idleElsewhere: () => ((asked += 1), true) };
    chooseLocal(outlook({ idle: 1 }), counting);
    chooseLocal(outlook(), counting);
    expect(asked).toBe(0);
    chooseLocal(outlook({ busy: 1, waiting: 100 }), counting);
    expect(asked).toBe(1);
  });

  it('defaults to a 20 ms bound, and keeps long queues to 500 ms', () => {
    expect(DEFAULT_MAX_LOCAL_WAIT_MS).toBe(20);
    expect(DEFAULT_MAX_QUEUED_WAIT_MS).toBe(500);
  });

  it('takes other bounds (a cluster of several machines sending overflow away sooner)', () => {
    const eager = { maxLocalWaitMs: 2, maxQueuedWaitMs: 50 };
    // (2 + 1) × 1 ÷ 4 = 0.75 ms and (9 + 1) × 1 ÷ 4 = 2.5 ms, with an idle environment elsewhere.
    expect(chooseLocal(outlook({ waiting: 2 }), { ...eager, idleElsewhere: () => true })).toBe('queue');
    expect(chooseLocal(outlook({ waiting: 9 }), { ...eager, idleElsewhere: () => true })).toBe('elsewhere');
    // Every queue long: (49 + 1) × 1 ÷ 1 = 50 ms stays, 51 ms leaves.
    expect(chooseLocal(outlook({ busy: 1, waiting: 49 }), { ...eager, idleElsewhere: () => false })).toBe('queue');
    expect(chooseLocal(outlook({ busy: 1, waiting: 50 }), { ...eager, idleElsewhere: () => false })).toBe('elsewhere');
    // 0 and 0: only an idle environment here keeps a call here.
    const never = { maxLocalWaitMs: 0, maxQueuedWaitMs: 0, idleElsewhere: () => false };
    expect(chooseLocal(outlook({ idle: 1 }), never)).toBe('now');
    expect(chooseLocal(outlook({ waiting: 0 }), never)).toBe('elsewhere');
  });
});
