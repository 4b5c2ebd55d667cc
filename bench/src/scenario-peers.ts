import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, type BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD } from './functions.js';
import { installedPeerVersions, installPeers, type PeerServer, type PeerSpec } from './peers.js';
import type { PeerLevel, PeerResult, PeersReport, WarmLevel } from './report.js';
import { ratio } from '@stratus/loadgen';

export const PEERS_NOTE =
  'Stratus\'s figures here are those of scenario 1, through its gRPC frontend (HTTP/2, protobuf), while the peers are called over HTTP/1.1 keep-alive with the same payload by the same load generator; scenario 6 sets Stratus\'s function URL (HTTP/1.1 too) against the same peer runs. Every peer figure is also given as a ratio to the gRPC echo baseline measured at the same concurrency in this run.';

/**
 * Peers, side by side with scenario 1: each peer is installed on demand,
 * started alone, driven at the same concurrencies (after an unmeasured
 * warm-up) and stopped before the next. A peer that cannot be installed or
 * started is reported as skipped with the reason; the others still run.
 */
export async function runPeersScenario(
  ctx: BenchContext,
  warm: readonly WarmLevel[],
  options: { readonly peersDir: string; readonly peers: readonly PeerSpec[] },
): Promise<PeersReport> {
  ctx.progress.phase(`peers: installing into ${options.peersDir} if needed`, 1, 'steps');
  const installFailure = await installPeers(options.peersDir);
  const versions = await installedPeerVersions(options.peersDir);
  const workDir = await mkdtemp(join(tmpdir(), 'stratus-bench-peers-'));
  const results: PeerResult[] = [];
  try {
    for (const peer of options.peers) {
      const base = { name: peer.name, version: versions[peer.packageName] ?? null, setup: peer.setup };
      if (installFailure !== null && base.version === null) {
        results.push({ ...base, skipped: installFailure, startupMs: null, levels: [] });
        continue;
      }
      results.push(await measurePeer(ctx, warm, peer, base, options.peersDir, workDir));
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return { note: PEERS_NOTE, results };
}

async function measurePeer(
  ctx: BenchContext,
  warm: readonly WarmLevel[],
  peer: PeerSpec,
  base: Pick<PeerResult, 'name' | 'version' | 'setup'>,
  peersDir: string,
  workDir: string,
): Promise<PeerResult> {
  ctx.progress.phase(`peers: starting ${peer.name}`, 1, 'steps');
  let server: PeerServer;
  try {
    server = await peer.start(peersDir, workDir, BENCH_PAYLOAD);
  } catch (err) {
    return { ...base, skipped: `it did not start: ${err instanceof Error ? err.message : String(err)}`, startupMs: null, levels: [] };
  }
  try {
    const peerCtx: BenchContext = { ...ctx, processes: { ...ctx.processes, [peer.name]: server.pid } };
    const target = { kind: 'http', url: server.url, payload: BENCH_PAYLOAD } as const;
    const levels: PeerLevel[] = [];
    try {
      await measureLevels(peerCtx, warm, peer.name, target, levels);
    } catch (err) {
      return { ...base, skipped: `it failed while measured: ${err instanceof Error ? err.message : String(err)}`, startupMs: server.startupMs, levels };
    }
    return { ...base, skipped: null, startupMs: server.startupMs, levels };
  } finally {
    await server.stop();
  }
}

async function measureLevels(
  ctx: BenchContext,
  warm: readonly WarmLevel[],
  name: string,
  target: { readonly kind: 'http'; readonly url: string; readonly payload: string },
  levels: PeerLevel[],
): Promise<void> {
  for (const level of warm) {
    const concurrency = level.concurrency;
    await measure(ctx, `peer ${name} warm-up c=${concurrency}`, { target, concurrency, durationMs: ctx.sizes.warmupMs });
    const { measurement } = await measure(ctx, `peer ${name} c=${concurrency}`, { target, concurrency, durationMs: ctx.sizes.warmDurationMs });
    levels.push(peerLevel(level, measurement));
  }
}

/** A peer's run at one concurrency set against the same run's echo and Stratus figures at that concurrency. */
export function peerLevel(level: WarmLevel, measurement: PeerLevel['measurement']): PeerLevel {
  const p = measurement.stats;
  const e = level.echo.stats;
  const s = level.stratus.stats;
  return {
    concurrency: level.concurrency,
    measurement,
    toEcho: {
      throughput: ratio(p.throughputPerSec, e.throughputPerSec),
      p50: ratio(p.latency.p50Ms, e.latency.p50Ms),
      p99: ratio(p.latency.p99Ms, e.latency.p99Ms),
    },
    stratusToPeer: {
      throughput: ratio(s.throughputPerSec, p.throughputPerSec),
      p50: ratio(s.latency.p50Ms, p.latency.p50Ms),
      p99: ratio(s.latency.p99Ms, p.latency.p99Ms),
    },
  };
}
