import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { groupOf, mainThreadProfileOf, shortLocation, summarizeCpuProfile, type CpuProfile } from '../src/cpu-profile.js';

// Ten samples of 1 ms: handle ×4 (under deliver, under processTicksAndRejections), deliver ×1, GC ×1, idle ×2,
// and walk ×2, once recursing into itself.
const fixture = async (): Promise<CpuProfile> =>
  JSON.parse(await readFile(new URL('./fixtures/small.cpuprofile', import.meta.url), 'utf8')) as CpuProfile;

describe('the CPU profile summary', () => {
  it('gives each function its self and total share of the sampled time, a recursive one counted once per sample', async () => {
    const summary = summarizeCpuProfile(await fixture(), { process: 'frontend', file: 'profiles/x.cpuprofile' });
    expect(summary.samples).toBe(10);
    expect(summary.sampledMs).toBeCloseTo(10);
    expect(summary.windowed).toBe(false);
    const row = (name: string) => summary.top.find((f) => f.functionName === name);
    expect(row('handle')).toMatchObject({ selfPct: 40, totalPct: 40, group: '@stratus/frontend', location: 'packages/frontend/dist/frontend.js:41' });
    expect(row('deliver')).toMatchObject({ selfPct: 10, totalPct: 50, group: 'nats', location: 'nats/lib/nats-base-client/protocol.js:10' });
    expect(row('processTicksAndRejections')).toBeUndefined();
    expect(row('walk')).toMatchObject({ selfPct: 20, totalPct: 20, group: '@grpc/grpc-js' });
    expect(row('(idle)')).toBeUndefined();
    expect(summary.top.map((f) => f.functionName)).toEqual(['handle', 'walk', 'deliver', '(garbage collector)']);
  });

  it('adds self time up by package, idle and GC included', async () => {
    const summary = summarizeCpuProfile(await fixture(), { process: 'frontend', file: 'x' });
    expect(Object.fromEntries(summary.groups.map((g) => [g.group, g.selfPct]))).toEqual({
      '@stratus/frontend': 40,
      '@grpc/grpc-js': 20,
      idle: 20,
      nats: 10,
      GC: 10,
    });
    expect(summary.idlePct).toBe(20);
  });

  it('counts only the samples inside the measured window when given one', async () => {
    const summary = summarizeCpuProfile(await fixture(), { process: 'node-1', file: 'x', window: { fromUs: 5000, toUs: 8000 } });
    expect(summary.windowed).toBe(true);
    expect(summary.samples).toBe(4);
    expect(summary.idlePct).toBe(50);
    expect(summary.top).toEqual([expect.objectContaining({ functionName: 'walk', selfPct: 50 })]);
  });

  it('falls back to the whole profile, and says so, when the window catches no sample', async () => {
    const summary = summarizeCpuProfile(await fixture(), { process: 'node-1', file: 'x', window: { fromUs: 50_000, toUs: 60_000 } });
    expect(summary.windowed).toBe(false);
    expect(summary.samples).toBe(10);
  });

  it('names the package of a frame and shortens its file', () => {
    expect(groupOf('x', 'file:///a/node_modules/isolated-vm/isolated-vm.js')).toBe('isolated-vm');
    expect(groupOf('x', 'file:///a/node_modules/@stratus/runtime/dist/x.js')).toBe('@stratus/runtime');
    expect(groupOf('x', 'node:net')).toBe('node internals');
    expect(groupOf('writev', '')).toBe('native (builtins, C++ bindings)');
    expect(groupOf('(program)', '')).toBe('native, no JS on the stack');
    expect(shortLocation('file:///w/packages/worker-node/dist/node.js', 0)).toBe('packages/worker-node/dist/node.js:1');
    expect(shortLocation('', -1)).toBe('');
  });

  it('finds the main thread profile of a process among the files --cpu-prof wrote', () => {
    const files = ['CPU.20261206.052731.8328.1.002.cpuprofile', 'CPU.20261206.052731.8328.0.001.cpuprofile', 'CPU.20261206.052731.9.0.001.cpuprofile'];
    expect(mainThreadProfileOf(files, 8328)).toBe('CPU.20261206.052731.8328.0.001.cpuprofile');
    expect(mainThreadProfileOf(files, 77)).toBeUndefined();
  });
});
