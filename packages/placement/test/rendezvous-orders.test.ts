import { describe, expect, it } from 'vitest';
import { rendezvousScore } from '@stratus/contracts';
import { RendezvousOrders, functionKeyOf } from '../src/index.js';

const ids = ['node-1', 'node-2', 'node-10', 'Node-3', 'n-a', 'n-B'];
const byScore = (name: string, version: string, nodeIds: readonly string[]): string[] =>
  [...nodeIds].sort((a, b) => (rendezvousScore(name, version, a) < rendezvousScore(name, version, b) ? -1 : 1));
const ordered = (order: ReadonlyMap<string, number>): string[] => [...order.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);

describe('RendezvousOrders', () => {
  it('orders nodes by rendezvous score, as provisioned concurrency does, for many functions', () => {
    const orders = new RendezvousOrders();
    for (let i = 0; i < 100; i += 1) {
      const version = i % 3 === 0 ? '$LATEST' : String(i % 3);
      expect(ordered(orders.order(functionKeyOf(`fn-${i}`, version), `fn-${i}`, version, ids, 1))).toEqual(byScore(`fn-${i}`, version, ids));
    }
  });

  it('keeps an order while the node set stays, and recomputes it when the set changes', () => {
    const orders = new RendezvousOrders();
    const key = functionKeyOf('fn', '$LATEST');
    const first = orders.order(key, 'fn', '$LATEST', ids, 1);
    expect(orders.order(key, 'fn', '$LATEST', ids, 1)).toBe(first);
    const fewer = ids.slice(1);
    const next = orders.order(key, 'fn', '$LATEST', fewer, 2);
    expect(ordered(next)).toEqual(byScore('fn', '$LATEST', fewer));
  });

  it('keeps at most its bound of functions', () => {
    const orders = new RendezvousOrders(10);
    for (let i = 0; i < 25; i += 1) orders.order(functionKeyOf(`fn${i}`, '$LATEST'), `fn${i}`, '$LATEST', ids, 1);
    expect(orders.size).toBeLessThanOrEqual(10);
  });
});
