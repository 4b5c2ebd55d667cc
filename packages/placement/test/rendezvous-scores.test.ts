import { describe, expect, it } from 'vitest';
import { rendezvousScore } from '@stratus/contracts';
import { rankNodes, type NodeSnapshot } from '../src/index.js';
import { RendezvousScores } from '../src/rendezvous-scores.js';

function node(nodeId: string, inFlight: number): NodeSnapshot {
  return {
    record: { nodeId, host: 'h', pid: 1, memoryBudgetMb: 2048, maxInFlight: 100, registeredAtMs: 0, version: '0' },
    heartbeat: { nodeId, atMs: 0, state: 'running', inFlight, memoryUsedMb: 0, warmIsolates: 0, functions: [], natsReconnects: 0 },
    registered: true,
    outstanding: 0,
  };
}

describe('RendezvousScores', () => {
  it('gives the same scores as rendezvousScore, so placement and provisioned concurrency agree on home nodes', () => {
    const scores = new RendezvousScores();
    for (const [fn, version, nodeId] of [['a', '$LATEST', 'n1'], ['a', '1', 'n1'], ['a:b', 'c', 'n'], ['a', 'b:c', 'n']] as const) {
      expect(scores.score(fn, version, nodeId)).toBe(rendezvousScore(fn, version, nodeId));
      expect(scores.score(fn, version, nodeId)).toBe(rendezvousScore(fn, version, nodeId));
    }
  });

  it('keeps at most its bound of scores', () => {
    const scores = new RendezvousScores(10);
    for (let i = 0; i < 25; i += 1) scores.score(`fn${i}`, '$LATEST', 'n1');
    expect(scores.size).toBeLessThanOrEqual(10);
    expect(scores.score('fn3', '$LATEST', 'n1')).toBe(rendezvousScore('fn3', '$LATEST', 'n1'));
  });

  it('ranks nodes exactly as the uncached scores do, for many functions and loads', () => {
    const scores = new RendezvousScores();
    const score = scores.score.bind(scores);
    const nodes = ['node-1', 'node-2', 'node-10', 'Node-3', 'n-a', 'n-B'].map((id, i) => node(id, (i * 7) % 5));
    for (let i = 0; i < 200; i += 1) {
      const target = { name: `fn-${i}`, version: i % 3 === 0 ? '$LATEST' : String(i % 3) };
      expect(rankNodes(nodes, target, { score })).toEqual(rankNodes(nodes, target));
    }
  });
});
