import { describe, expect, it } from 'vitest';
import type { NodeHeartbeat } from '@stratus/contracts';
import { WarmView, functionKeyOf } from '../src/index.js';

const fn = functionKeyOf('fn', '$LATEST');
function beat(seq: number, idle: number, busy = 0, nodeId = 'a'): NodeHeartbeat {
  return {
    nodeId,
    atMs: 0,
    state: 'running',
    inFlight: busy,
    memoryUsedMb: 0,
    warmIsolates: idle + busy,
    functions: idle + busy > 0 ? [{ functionName: 'fn', version: '$LATEST', idle, busy, provisioned: 0 }] : [],
    natsReconnects: 0,
    seq,
  };
}

describe('WarmView', () => {
  it('counts an environment idle again as soon as a call the heartbeat saw busy returns', () => {
    const view = new WarmView();
    view.heartbeat(beat(1, 1));
    const call = view.sent('a', fn)!;
    expect(view.idle('a', fn)).toBe(0);
    // Heartbeat 2 was taken while the call ran: busy 1, idle 0.
    view.heartbeat(beat(2, 0, 1));
    view.returned(call, { fromSeq: 1, toSeq: 2 }, false);
    expect(view.idle('a', fn)).toBe(1);
    // Back to back: each call takes the idle environment and gives it back.
    for (let i = 0; i < 5; i += 1) {
      const next = view.sent('a', fn)!;
      expect(view.idle('a', fn)).toBe(0);
      view.returned(next, { fromSeq: 2, toSeq: 2 }, false);
      expect(view.idle('a', fn)).toBe(1);
    }
  });

  it('does not count twice a call the next heartbeat already shows idle', () => {
    const view = new WarmView();
    view.heartbeat(beat(1, 0, 1));
    const call = view.sent('a', fn)!;
    view.returned(call, { fromSeq: 0, toSeq: 1 }, false);
    expect(view.idle('a', fn)).toBe(1);
    // Heartbeat 2 came after the environment was given back: it counts it itself.
    view.heartbeat(beat(2, 1));
    expect(view.idle('a', fn)).toBe(1);
  });

  it('counts the environment a cold call started, which no heartbeat knew of', () => {
    const view = new WarmView();
    view.heartbeat(beat(3, 0));
    const call = view.sent('a', fn)!;
    view.returned(call, { fromSeq: 3, toSeq: 3 }, true);
    expect(view.idle('a', fn)).toBe(1);
    const warm = view.sent('a', fn)!;
    view.returned(warm, { fromSeq: 3, toSeq: 3 }, false);
    expect(view.idle('a', fn)).toBe(1);
  });

  it("takes a call still unanswered when a heartbeat arrives as the heartbeat's, until its reply says otherwise", () => {
    const view = new WarmView();
    view.heartbeat(beat(1, 2));
    const early = view.sent('a', fn)!;
    view.heartbeat(beat(2, 1, 1));
    // Sent before heartbeat 2 arrived: the heartbeat counted it busy, not twice.
    expect(view.idle('a', fn)).toBe(1);
    const late = view.sent('a', fn)!;
    expect(view.idle('a', fn)).toBe(0);
    view.returned(late, { fromSeq: 2, toSeq: 2 }, false);
    expect(view.idle('a', fn)).toBe(1);
    view.returned(early, { fromSeq: 1, toSeq: 2 }, false);
    expect(view.idle('a', fn)).toBe(2);
  });

  it('does not count an environment idle after a call that failed in it', () => {
    const view = new WarmView();
    view.heartbeat(beat(1, 0, 1));
    const call = view.sent('a', fn)!;
    view.heartbeat(beat(2, 0, 1));
    view.returned(call, undefined, false);
    expect(view.idle('a', fn)).toBe(0);
  });

  it('forgets what it knew of a node process when another, numbering its heartbeats afresh or not, takes its id', () => {
    const view = new WarmView();
    view.heartbeat({ ...beat(5, 0, 1), instanceId: 'first' });
    const call = view.sent('a', fn)!;
    view.heartbeat({ ...beat(6, 0), instanceId: 'second' });
    view.returned(call, { fromSeq: 4, toSeq: 6 }, false);
    expect(view.idle('a', fn)).toBe(0);
  });

  it('forgets what it knew of a node process when heartbeat numbers go back', () => {
    const view = new WarmView();
    view.heartbeat(beat(40, 0, 1));
    const call = view.sent('a', fn)!;
    view.heartbeat(beat(1, 0));
    view.returned(call, { fromSeq: 39, toSeq: 41 }, false);
    expect(view.idle('a', fn)).toBe(0);
  });

  it('keeps nodes and functions apart, and knows nothing of a node it never heard from', () => {
    const view = new WarmView();
    view.heartbeat(beat(1, 2, 0, 'a'));
    view.heartbeat(beat(1, 0, 0, 'b'));
    expect(view.sent('c', fn)).toBeUndefined();
    expect(view.idle('c', fn)).toBe(0);
    view.sent('a', functionKeyOf('other', '$LATEST'));
    expect(view.idle('a', fn)).toBe(2);
    expect(view.idle('a', functionKeyOf('fn', '1'))).toBe(0);
    expect(view.idle('b', fn)).toBe(0);
  });
});
