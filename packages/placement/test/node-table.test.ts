import { describe, expect, it } from 'vitest';
import type { NodeHeartbeat, NodeRecord } from '@stratus/contracts';
import { NodeTable } from '../src/index.js';

const record = (nodeId: string): NodeRecord => ({ nodeId, host: 'h', pid: 1, memoryBudgetMb: 1024, maxInFlight: 10, registeredAtMs: 0, version: '0' });
const beat = (nodeId: string, atMs: number, state: NodeHeartbeat['state'] = 'running'): NodeHeartbeat => ({
  nodeId,
  atMs,
  state,
  inFlight: 0,
  memoryUsedMb: 0,
  warmIsolates: 0,
  functions: [],
  natsReconnects: 0,
  seq: 0,
});
const ids = (table: NodeTable, nowMs: number): string[] => table.candidates(nowMs).map((c) => c.record.nodeId);

describe('NodeTable', () => {
  it("judges a heartbeat fresh by when it arrived, whatever the node's clock says", () => {
    const table = new NodeTable(3000);
    table.registered('a', record('a'));
    table.registered('b', record('b'));
    // a's clock is an hour behind, b's an hour ahead; both heartbeats arrive at 10 000.
    table.heartbeat(beat('a', 10_000 - 3_600_000), 10_000);
    table.heartbeat(beat('b', 10_000 + 3_600_000), 10_000);
    expect(table.freshHeartbeat('a', 12_000)).toBeDefined();
    expect(table.freshHeartbeat('b', 12_000)).toBeDefined();
    expect(table.freshHeartbeat('b', 13_001)).toBeUndefined();
    expect(table.silentForMs('a', 12_500)).toBe(2_500);
  });

  it('keeps a node that left etcd but still heartbeats, until it falls silent or drains', () => {
    const table = new NodeTable(3000);
    for (const id of ['a', 'b', 'c']) {
      table.registered(id, record(id));
      table.heartbeat(beat(id, 0), 1_000);
    }
    // An etcd stall expired every lease at once.
    for (const id of ['a', 'b', 'c']) table.unregistered(id);
    table.heartbeat(beat('a', 0), 2_000);
    table.heartbeat(beat('b', 0, 'draining'), 2_000);
    expect(ids(table, 4_500)).toEqual(['a']);
    expect(table.candidates(4_500)[0]).toMatchObject({ registered: false, heartbeat: { nodeId: 'a' } });
    expect(ids(table, 5_001)).toEqual([]);

    table.registered('a', record('a'));
    expect(table.candidates(5_001)).toMatchObject([{ record: { nodeId: 'a' }, registered: true, heartbeat: undefined }]);
  });

  it('forgets nodes that left and stayed silent, and only those', () => {
    const table = new NodeTable(3000);
    table.registered('gone', record('gone'));
    table.registered('listed', record('listed'));
    table.heartbeat(beat('gone', 0), 0);
    table.heartbeat(beat('listed', 0), 0);
    table.unregistered('gone');
    table.forgetSilent(120_000, 60_000);
    expect(table.lastHeartbeat('gone')).toBeUndefined();
    expect(table.lastHeartbeat('listed')).toBeDefined();
    table.heartbeat(beat('gone', 0), 121_000);
    expect(ids(table, 121_000)).toEqual(['listed']);
  });

  it('changes its version when a node joins or is forgotten, not when a known one heartbeats or re-registers', () => {
    const table = new NodeTable(3000);
    table.registered('b', record('b'));
    table.registered('a', record('a'));
    expect(table.nodeIds()).toEqual(['a', 'b']);
    const version = table.version;
    table.heartbeat(beat('a', 0), 1_000);
    table.registered('a', record('a'));
    table.unregistered('b');
    expect(table.version).toBe(version);
    expect(table.forgetSilent(100_000, 60_000)).toEqual(['b']);
    expect(table.nodeIds()).toEqual(['a']);
    expect(table.version).toBeGreaterThan(version);
  });
});
