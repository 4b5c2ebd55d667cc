import { describe, expect, it } from 'vitest';
import type { NodeHeartbeat } from '@stratus/contracts';
import { RendezvousOrders, functionKeyOf, rankNodes, type NodeSnapshot } from '../src/index.js';

function node(nodeId: string, heartbeat: Partial<NodeHeartbeat> | undefined, outstanding = 0, maxInFlight = 100): NodeSnapshot {
  return {
    record: { nodeId, host: 'h', pid: 1, memoryBudgetMb: 2048, maxInFlight, registeredAtMs: 0, version: '0' },
    heartbeat: heartbeat && { nodeId, atMs: 0, state: 'running', inFlight: 0, memoryUsedMb: 0, warmIsolates: 0, functions: [], natsReconnects: 0, seq: 0, ...heartbeat },
    registered: true,
    outstanding,
  };
}
const target = { name: 'fn', version: '$LATEST' };
const idle = (functionName: string, count: number) => [{ functionName, version: '$LATEST', idle: count, busy: 0, provisioned: 0 }];

describe('rankNodes', () => {
  it('puts a node with an idle warm environment of the function first', () => {
    const ranked = rankNodes([node('a', { inFlight: 0 }), node('b', { inFlight: 50, functions: idle('fn', 2) })], target);
    expect(ranked[0]).toBe('b');
  });

  it('ignores warm environments of other functions', () => {
    const nodes = [node('a', { inFlight: 0 }), node('b', { inFlight: 0, functions: idle('other', 3) })];
    expect(rankNodes(nodes, target)).toEqual(rankNodes([node('a', { inFlight: 0 }), node('b', { inFlight: 0 })], target));
  });

  it('sends a function to the same home node while load is even, and different functions to different homes', () => {
    const nodes = ['a', 'b', 'c', 'd'].map((id) => node(id, { inFlight: 0 }));
    const homes = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const first = rankNodes(nodes, { name: `fn${i}`, version: '$LATEST' })[0]!;
      expect(rankNodes(nodes, { name: `fn${i}`, version: '$LATEST' })[0]).toBe(first);
      homes.add(first);
    }
    expect(homes.size).toBeGreaterThan(1);
  });

  it('moves only the functions whose home node left (consistent hashing)', () => {
    const all = ['a', 'b', 'c', 'd'].map((id) => node(id, { inFlight: 0 }));
    const without = all.filter((n) => n.record.nodeId !== 'd');
    for (let i = 0; i < 40; i += 1) {
      const t = { name: `fn${i}`, version: '$LATEST' };
      const before = rankNodes(all, t)[0];
      if (before !== 'd') expect(rankNodes(without, t)[0]).toBe(before);
    }
  });

  it('spills past a home node whose load is above the bound, to the least loaded', () => {
    const home = rankNodes([node('a', { inFlight: 0 }), node('b', { inFlight: 0 }), node('c', { inFlight: 0 })], target)[0]!;
    const others = ['a', 'b', 'c'].filter((id) => id !== home);
    const ranked = rankNodes(
      [node(home, { inFlight: 30 }), node(others[0]!, { inFlight: 5 }), node(others[1]!, { inFlight: 1 })],
      target,
    );
    expect(ranked[ranked.length - 1]).toBe(home);
  });

  it('counts this frontend’s own calls in flight', () => {
    const home = rankNodes([node('a', { inFlight: 0 }), node('b', { inFlight: 0 })], target)[0]!;
    const other = home === 'a' ? 'b' : 'a';
    expect(rankNodes([node(home, { inFlight: 0 }, 40), node(other, { inFlight: 0 })], target)[0]).toBe(other);
  });

  it('puts full nodes, nodes without a heartbeat and draining nodes last, in that order', () => {
    const ranked = rankNodes([node('a', { state: 'draining' }), node('b', undefined), node('c', { inFlight: 100 }), node('d', { inFlight: 3 })], target);
    expect(ranked).toEqual(['d', 'c', 'b', 'a']);
  });

  it('trusts the warm counts it is given over the heartbeats', () => {
    const nodes = [node('a', { inFlight: 0, functions: idle('fn', 1) }), node('b', { inFlight: 0 })];
    const warmOnB = (n: NodeSnapshot): number => (n.record.nodeId === 'b' ? 1 : 0);
    expect(rankNodes(nodes, target, { warmIdle: warmOnB })[0]).toBe('b');
  });

  it('puts the preferred node first among warm nodes, and among those within the load bound when none is warm', () => {
    const home = rankNodes([node('a', { inFlight: 0 }), node('b', { inFlight: 0 })], target)[0]!;
    const other = home === 'a' ? 'b' : 'a';
    expect(rankNodes([node(home, { inFlight: 0 }), node(other, { inFlight: 0 })], target, { preferNodeId: other })[0]).toBe(other);
    const bothWarm = [node(home, { inFlight: 0, functions: idle('fn', 1) }), node(other, { inFlight: 5, functions: idle('fn', 1) })];
    expect(rankNodes(bothWarm, target, { preferNodeId: other })[0]).toBe(other);
  });

  it('does not prefer a node over one warm elsewhere, nor once it is above the load bound', () => {
    const warmElsewhere = [node('a', { inFlight: 0 }), node('b', { inFlight: 0, functions: idle('fn', 1) })];
    expect(rankNodes(warmElsewhere, target, { preferNodeId: 'a' })[0]).toBe('b');
    const loaded = [node('a', { inFlight: 30 }), node('b', { inFlight: 2 })];
    expect(rankNodes(loaded, target, { preferNodeId: 'a' })[0]).toBe('b');
  });

  it('ranks by a given rendezvous order exactly as by the scores it came from', () => {
    const nodes = ['node-1', 'node-2', 'node-10', 'Node-3', 'n-a', 'n-B'].map((id, i) => node(id, { inFlight: (i * 7) % 5 }));
    const orders = new RendezvousOrders();
    const nodeIds = nodes.map((n) => n.record.nodeId);
    for (let i = 0; i < 100; i += 1) {
      const t = { name: `fn-${i}`, version: i % 3 === 0 ? '$LATEST' : String(i % 3) };
      const order = orders.order(functionKeyOf(t.name, t.version), t.name, t.version, nodeIds, 1);
      expect(rankNodes(nodes, t, { order })).toEqual(rankNodes(nodes, t));
    }
  });

  it('returns nothing when there are no nodes', () => {
    expect(rankNodes([], target)).toEqual([]);
  });
});
