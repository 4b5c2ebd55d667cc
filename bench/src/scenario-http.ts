import { parseApiKey, signSigV4 } from '@stratus/contracts';
import { ratio } from '@stratus/loadgen';
import { measure, type BenchContext } from './bench-context.js';
import { BENCH_PAYLOAD, URL_HANDLER, zipIndexJs } from './functions.js';
import type { HttpTriggerLevel, HttpTriggerReport, Measurement, PeersReport, SkippedScenario, WarmLevel } from './report.js';

/** The function scenario 6 calls through its function URL. */
export const URL_FUNCTION = 'bench-url';

export const HTTP_NOTE =
  'A trivial function behind a function URL (AuthType NONE, path-based /lambda-url/<name>/ on the frontend\'s HTTP listener): each call is an HTTP/1.1 keep-alive POST of the bench payload, turned into a payload format 2.0 event, run, and mapped back (the handler parses the body and returns it, a 200 JSON answer), by the same load generator as the peers. It runs after the billing check (the HTTP client reports no billed ms), beside the gRPC frontend and echo of scenario 1 and, with --peers, workerd and serverless-offline of the same run.';

/**
 * Scenario 6: the HTTP trigger. The function gets a URL through the Lambda
 * REST API (signed with the cluster's admin key), then each concurrency is
 * warmed up and measured like scenario 1, and set against the same run's
 * gRPC figures and peers.
 */
export async function runHttpScenario(
  ctx: BenchContext,
  warm: readonly WarmLevel[],
  peers: PeersReport | SkippedScenario,
  httpAddress: string | undefined,
): Promise<HttpTriggerReport | SkippedScenario> {
  if (httpAddress === undefined) return { skipped: true, reason: 'the cluster serves no HTTP listener.' };
  await ctx.client.createFunction({ functionName: URL_FUNCTION, zipFile: zipIndexJs(URL_HANDLER) });
  const functionUrl = await createFunctionUrl(httpAddress, ctx.apiKey, URL_FUNCTION);
  const target = { kind: 'http', url: functionUrl, payload: BENCH_PAYLOAD } as const;
  const levels: HttpTriggerLevel[] = [];
  for (const level of warm) {
    const concurrency = level.concurrency;
    await measure(ctx, `6 URL warm-up c=${concurrency}`, { target, concurrency, durationMs: ctx.sizes.warmupMs });
    const { measurement } = await measure(ctx, `6 URL c=${concurrency}`, { target, concurrency, durationMs: ctx.sizes.warmDurationMs });
    levels.push(httpLevel(level, measurement, peers));
  }
  return { note: HTTP_NOTE, functionUrl, levels };
}

/** A URL run set against the same run's gRPC frontend, echo and peers at its concurrency. */
export function httpLevel(level: WarmLevel, measurement: Measurement, peers: PeersReport | SkippedScenario): HttpTriggerLevel {
  const u = measurement.stats;
  const against = (other: Measurement['stats']) => ({
    throughput: ratio(u.throughputPerSec, other.throughputPerSec),
    p50: ratio(u.latency.p50Ms, other.latency.p50Ms),
    p99: ratio(u.latency.p99Ms, other.latency.p99Ms),
  });
  const toPeers: Record<string, ReturnType<typeof against>> = {};
  if (!('skipped' in peers)) {
    for (const peer of peers.results) {
      const same = peer.levels.find((l) => l.concurrency === level.concurrency);
      if (same !== undefined) toPeers[peer.name] = against(same.measurement.stats);
    }
  }
  return { concurrency: level.concurrency, measurement, toGrpc: against(level.stratus.stats), toEcho: against(level.echo.stats), toPeers };
}

/** Gives a function a URL (AuthType NONE) through the Lambda REST API, signed with `apiKey`, and returns it. */
export async function createFunctionUrl(httpAddress: string, apiKey: string, functionName: string): Promise<string> {
  const credential = parseApiKey(apiKey);
  if (credential === undefined) throw new Error('the cluster key is not an API key');
  const path = `/2021-10-31/functions/${functionName}/url`;
  const body = Buffer.from(JSON.stringify({ AuthType: 'NONE' }), 'utf8');
  const headers = signSigV4({ method: 'POST', url: path, host: httpAddress, headers: { 'content-type': 'application/json' }, body }, credential);
  const response = await fetch(`http://${httpAddress}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`CreateFunctionUrlConfig answered ${response.status}: ${text.slice(0, 200)}`);
  const url = (JSON.parse(text) as { FunctionUrl?: unknown }).FunctionUrl;
  if (typeof url !== 'string') throw new Error(`CreateFunctionUrlConfig gave no FunctionUrl: ${text.slice(0, 200)}`);
  return url;
}
