import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchReport } from './report.js';

export interface Chart {
  readonly file: string;
  readonly svg: string;
}

const WIDTH = 560;
const HEIGHT = 300;

/** Renders a Vega-Lite spec to SVG without a browser or canvas. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The report's charts: latency distributions, throughput against concurrency, isolates over time, cold against warm. */
export async function renderCharts(report: BenchReport): Promise<Chart[]> {
  const { warm, coldStart, mixed } = report.scenarios;
  const latency = warm.flatMap((level) =>
    [
      { series: `Stratus c=${level.concurrency}`, m: level.stratus },
      { series: `gRPC echo c=${level.concurrency}`, m: level.echo },
    ].flatMap(({ series, m }) => m.distribution.map((p) => ({ series, pct: p.pct, ms: Math.max(p.ms, 0.001) }))),
  );
  const throughput = warm.flatMap((level) => [
    { concurrency: level.concurrency, system: 'Stratus', perSec: level.stratus.stats.throughputPerSec },
    { concurrency: level.concurrency, system: 'gRPC echo', perSec: level.echo.stats.throughputPerSec },
  ]);
  if (!('skipped' in report.peers)) {
    for (const peer of report.peers.results) {
      for (const level of peer.levels) throughput.push({ concurrency: level.concurrency, system: peer.name, perSec: level.measurement.stats.throughputPerSec });
    }
  }
  const isolates = mixed.isolates.flatMap((s) => [
    { t: s.tMs / 1000, series: 'warm isolates (mixed functions)', n: s.warmIsolates },
    { t: s.tMs / 1000, series: 'busy', n: s.busy },
  ]);
  const coldWarm = [
    { what: 'Stratus first call', ms: coldStart.firstCall.p50Ms },
    { what: 'Stratus warm call', ms: coldStart.warmCall.p50Ms },
    { what: 'Stratus init (node)', ms: coldStart.init.p50Ms },
    { what: 'raw isolated-vm cold', ms: report.baselines.ivm.cold.p50Ms },
    { what: 'raw isolated-vm warm', ms: report.baselines.ivm.warm.p50Ms },
  ].filter((d) => Number.isFinite(d.ms) && d.ms > 0);

  const specs: Array<[string, TopLevelSpec]> = [
    [
      'latency-distribution.svg',
      {
        title: 'Warm latency distribution (trivial handler)',
        width: WIDTH,
        height: HEIGHT,
        data: { values: latency },
        mark: { type: 'line', interpolate: 'monotone' },
        encoding: {
          x: { field: 'pct', type: 'quantitative', title: 'percentile' },
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms, log)', scale: { type: 'log' } },
          color: { field: 'series', type: 'nominal', title: null },
          strokeDash: { field: 'series', type: 'nominal', legend: null },
        },
      },
    ],
    [
      'throughput.svg',
      {
        title: 'Throughput against concurrency',
        width: WIDTH,
        height: HEIGHT,
        data: { values: throughput },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'concurrency', type: 'quantitative', title: 'calls in flight (log)', scale: { type: 'log' } },
          y: { field: 'perSec', type: 'quantitative', title: 'calls per second' },
          color: { field: 'system', type: 'nominal', title: null },
        },
      },
    ],
    [
      'isolates.svg',
      {
        title: `Isolates over time: mixed load for ${(mixed.loadMs / 1000).toFixed(0)} s, then idle (keep-warm ${(mixed.keepWarmMs / 1000).toFixed(0)} s)`,
        width: WIDTH,
        height: HEIGHT,
        layer: [
          {
            data: { values: isolates },
            mark: { type: 'line', interpolate: 'step-after' },
            encoding: {
              x: { field: 't', type: 'quantitative', title: 'seconds since the load started' },
              y: { field: 'n', type: 'quantitative', title: 'isolates' },
              color: { field: 'series', type: 'nominal', title: null },
            },
          },
          {
            data: { values: [{ t: mixed.loadMs / 1000 }] },
            mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
            encoding: { x: { field: 't', type: 'quantitative' } },
          },
        ],
      },
    ],
    [
      'cold-vs-warm.svg',
      {
        title: 'Cold against warm (p50, log scale)',
        width: WIDTH,
        height: HEIGHT / 1.5,
        data: { values: coldWarm },
        mark: 'bar',
        encoding: {
          y: { field: 'what', type: 'nominal', title: null, sort: null },
          x: { field: 'ms', type: 'quantitative', title: 'ms (log)', scale: { type: 'log' } },
        },
      },
    ],
  ];
  return Promise.all(specs.map(async ([file, spec]) => ({ file, svg: await renderSvg(spec) })));
}
