import { describe, expect, it } from 'vitest';
import type { NodeHeartbeat } from '@stratus/contracts';
import { rankNodes, type NodeSnapshot } from '../src/index.js';

function node(nodeId: string, heartbeat: Partial<NodeHeartbeat> | undefined, outstanding = 0): NodeSnapshot {
  return {
    record: { nodeId, host: 'h', pid: 1, memoryBudgetMb: 2048, maxInFlight: 100, registeredAtMs: 0, version: '0' },
    heartbeat: heartbeat && { nodeId, atMs: 0, state: 'running', inFlight: 0, memoryUsedMb: 0, warmIsolates: 0, functions: [], ...heartbeat },
    outstanding,
  };
}
const target = { name: 'fn', version: '$LATEST' };

describe('rankNodes', () => {
  it('puts a node with an idle warm environment of the function first', () => {
    const ranked = rankNodes(
      [node('a', { inFlight: 0 }), node('b', { inFlight: 50, functions: [{ functionName: 'fn', version: '$LATEST', idle: 2, busy: 0 }] })],
      target,
    );
    expect(ranked).toEqual(['b', 'a']);
  });

  it('ignores warm environments of other functions or versions', () => {
    const ranked = rankNodes(
      [node('a', { inFlight: 1 }), node('b', { inFlight: 5, functions: [{ functionName: 'other', version: '$LATEST', idle: 3, busy: 0 }] })],
      target,
    );
    expect(ranked).toEqual(['a', 'b']);
  });

  it('prefers the least loaded node, counting this frontend’s own calls in flight', () => {
    expect(rankNodes([node('a', { inFlight: 10 }), node('b', { inFlight: 2 })], target)).toEqual(['b', 'a']);
    expect(rankNodes([node('a', { inFlight: 0 }, 30), node('b', { inFlight: 2 })], target)).toEqual(['b', 'a']);
  });

  it('tries draining nodes and nodes without a heartbeat last', () => {
    const ranked = rankNodes([node('a', { state: 'draining' }), node('b', undefined), node('c', { inFlight: 99 })], target);
    expect(ranked).toEqual(['c', 'b', 'a']);
  });

  it('returns nothing when there are no nodes', () => {
    expect(rankNodes([], target)).toEqual([]);
  });
});
