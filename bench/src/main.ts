// `npm run bench [-- --quick]`: the only place the harness reads its arguments and the environment.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { runBench } from './harness.js';
import { PROFILED_CONCURRENCY } from './scenario-profile.js';
import { renderSummaryTable } from './markdown.js';
import { createProgress } from './progress.js';

const USAGE = `usage: npm run bench -- [--quick] [--peers] [--profile] [--profile-concurrency N] [--nodes N] [--layout L] [--one-layout] [--threads N] [--out DIR]
  --quick      about a minute on two cores (default: the full run, about ten)
  --peers      also measure workerd and serverless-offline, installed on demand into bench/.peers/
  --profile    also run warm c=100 on a cluster of its own with --cpu-prof on its frontend and nodes;
               the profiles go to <run dir>/profiles/, their top functions into report.md
  --profile-url  as --profile, but the profiled run calls scenario 6's function URL over HTTP
  --profile-concurrency N  calls in flight in the profiled run (default 100; 1 shows what a lone call waits on)
  --nodes N    worker nodes in the cluster, a combined process's own included (default 2)
  --layout L   combined (default, as npm start runs it: the frontend is also a node) or split (a process per frontend and node)
  --one-layout skip scenario 1 on a second cluster of the other layout
  --threads N  load generator threads (default 1)
  --out DIR    put the run's folder under DIR (default bench/results)
  STRATUS_LOG_LEVEL sets the cluster's log level on stderr (default warn).`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        peers: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        'profile-url': { type: 'boolean', default: false },
        'profile-concurrency': { type: 'string' },
        nodes: { type: 'string' },
        layout: { type: 'string', default: 'combined' },
        'one-layout': { type: 'boolean', default: false },
        threads: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const layout = args.layout;
  if (layout !== 'combined' && layout !== 'split') {
    process.stderr.write(`--layout must be combined or split, got ${layout}\n${USAGE}\n`);
    return 2;
  }
  const log = pino({ level: process.env['STRATUS_LOG_LEVEL'] || 'warn' }, pino.destination({ dest: 2, sync: true }));
  const outcome = await runBench({
    mode: args.quick ? 'quick' : 'full',
    nodes: positive('nodes', args.nodes, 2),
    layout,
    compareLayouts: !args['one-layout'],
    threads: positive('threads', args.threads, 1),
    peers: args.peers,
    profile: args.profile || args['profile-url'],
    profileThrough: args['profile-url'] ? 'url' : 'grpc',
    profileConcurrency: positive('profile-concurrency', args['profile-concurrency'], PROFILED_CONCURRENCY),
    ...(args.out === undefined ? {} : { resultsDir: args.out }),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    log,
    progress: createProgress(process.stderr),
  });
  process.stdout.write(`${renderSummaryTable(outcome.report)}\n\nreport: ${outcome.dir}/report.md\n`);
  return outcome.report.scenarios.billing.passed ? 0 : 1;
}

process.exitCode = await main();
