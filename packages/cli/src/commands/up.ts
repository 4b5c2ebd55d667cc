import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Logger } from 'pino';
import type { LocalCluster } from '@stratus/local-cluster';
import { createStratusClient } from '@stratus/client';
import { addCommonOptions, type CliContext, type CommonOptions } from '../context.js';
import { invokeJson, toJson } from '../output.js';
import { positiveInt } from '../parse.js';
import { usageError } from '../usage-error.js';
import { deployPath } from './deploy.js';
import { ensureFunctionUrl } from './url.js';

interface UpOptions extends CommonOptions {
  readonly nodes?: number;
  readonly layout?: 'split' | 'combined';
  readonly autoscale?: boolean;
  readonly minNodes?: number;
  readonly maxNodes?: number;
  readonly grpcAddress?: string;
  readonly httpAddress: string;
  readonly dataDir?: string;
  readonly tls?: boolean;
}

/** Where `stratus up` serves Lambda's REST API unless told otherwise. */
export const DEFAULT_HTTP_ADDRESS = '127.0.0.1:9000';
const EXAMPLE_DIR = join('examples', 'hello');
const EXAMPLE_FUNCTION = 'hello';
const EXAMPLE_EVENT = { name: 'Stratus' };
const AWS_CLI = '/usr/bin/aws';

export function registerUp(program: Command, ctx: CliContext): void {
  addCommonOptions(
    program
      .command('up')
      .description('run a local cluster (etcd, NATS, frontend, worker nodes, billing), deploy and invoke examples/hello; Ctrl-C stops it')
      .option('--nodes <n>', 'worker nodes to start, the frontend\'s own included with --layout combined (default 2, or --min-nodes with --autoscale)', positiveInt)
      .addOption(
        new Option('--layout <layout>', 'combined: the frontend is also a worker node in one process and runs warm calls without the NATS hop; split: a process per frontend and per node')
          .choices(['combined', 'split'])
          .default('combined'),
      )
      .option('--autoscale', 'add and remove worker nodes with load')
      .option('--min-nodes <n>', 'with --autoscale: fewest worker nodes (default 1)', positiveInt)
      .option('--max-nodes <n>', 'with --autoscale: most worker nodes (default 10)', positiveInt)
      .option('--grpc-address <host:port>', 'where the frontend listens (default: the --endpoint address)')
      .option('--http-address <host:port>', "where the frontend serves Lambda's REST API, for the AWS CLI and SDKs (port 0: a free one)", DEFAULT_HTTP_ADDRESS)
      .option('--data-dir <dir>', 'where the cluster keeps its state (default: .stratus)')
      .option('--tls', 'TLS with client certificates on gRPC, NATS and etcd; certificates made under <data-dir>/tls/'),
    ctx,
  ).action(async (options: UpOptions) => {
    if (!options.autoscale && (options.minNodes !== undefined || options.maxNodes !== undefined)) {
      throw usageError('--min-nodes and --max-nodes need --autoscale');
    }
    // Loaded here so the other commands do not pay for the whole platform.
    const { runUp } = await import('@stratus/local-cluster');
    const pretty = ctx.stderrIsTty;
    await runUp({
      cwd: ctx.cwd,
      log: await createLogger(ctx.logLevel, pretty),
      pretty,
      grpcAddress: options.grpcAddress ?? options.endpoint,
      httpAddress: options.httpAddress,
      ...(options.nodes !== undefined ? { nodes: options.nodes } : {}),
      ...(options.layout !== undefined ? { layout: options.layout } : {}),
      ...(options.autoscale
        ? {
            autoscale: {
              ...(options.minNodes !== undefined ? { minNodes: options.minNodes } : {}),
              ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}),
            },
          }
        : {}),
      ...(options.dataDir !== undefined ? { dataDir: resolve(ctx.cwd, options.dataDir) } : {}),
      ...(options.tls === true ? { tls: true } : {}),
      onReady: (cluster) => greet(ctx, cluster, options.json === true),
    });
  });
}

/** Logs go to stderr: stdout is for what the user asked to see. */
async function createLogger(level: string, pretty: boolean): Promise<Logger> {
  const { pino } = await import('pino');
  if (!pretty) return pino({ level }, pino.destination({ dest: 2, sync: true }));
  const { PinoPretty } = await import('pino-pretty');
  return pino({ level }, PinoPretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,component', singleLine: true }));
}

async function greet(ctx: CliContext, cluster: LocalCluster, json: boolean): Promise<void> {
  const endpoint = cluster.grpcAddress;
  const exampleDir = join(ctx.cwd, EXAMPLE_DIR);
  const found = await stat(exampleDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!found) {
    ctx.stderr.write(`note: ${exampleDir} not found, so the hello example was not deployed\n`);
    if (json) ctx.stdout.write(toJson({ endpoint, httpEndpoint: httpEndpointOf(cluster) }));
    else ctx.stdout.write(`Stratus is up on ${endpoint}\n${awsHint(ctx, cluster).join('\n')}\n${stopHint()}`);
    return;
  }
  const client = createStratusClient({ endpoint, apiKey: cluster.apiKey, tls: cluster.tls ?? false });
  try {
    const deployed = await deployPath(client, exampleDir, { name: EXAMPLE_FUNCTION });
    const payload = JSON.stringify(EXAMPLE_EVENT);
    const result = await client.invoke({ functionName: EXAMPLE_FUNCTION, payload, logType: 'TAIL' });
    // The example gets a function URL (anyone on this machine may call it: the listener is on loopback unless told otherwise).
    const httpEndpoint = httpEndpointOf(cluster);
    const functionUrl =
      httpEndpoint === undefined
        ? undefined
        : await ensureFunctionUrl(cluster.apiKey, httpEndpoint, EXAMPLE_FUNCTION).catch((err: unknown) => {
            // The cluster is up either way: say why the example has no URL rather than stop.
            ctx.stderr.write(`note: ${EXAMPLE_FUNCTION} got no function URL: ${err instanceof Error ? err.message : String(err)}\n`);
            return undefined;
          });
    if (json) {
      ctx.stdout.write(
        toJson({ endpoint, httpEndpoint, apiKeyFile: join(cluster.dataDir, 'admin.key'), deployed, invocation: invokeJson(result), ...(functionUrl ? { functionUrl } : {}) }),
      );
      return;
    }
    const report = result.report || result.logText.split('\n').find((line) => line.startsWith('REPORT')) || '';
    const endpointFlag = endpoint === ctx.defaultEndpoint ? '' : ` --endpoint ${endpoint}`;
    // The CLI finds ./.stratus/admin.key by itself; a key anywhere else has to be named.
    const keyFile = join(cluster.dataDir, 'admin.key');
    const keyHint = keyFile === join(ctx.cwd, '.stratus', 'admin.key') ? [] : [`key:  export STRATUS_API_KEY=$(cat ${keyFile})`];
    const tls = cluster.tls;
    const tlsHint = tls === undefined ? [] : [`tls:  export STRATUS_TLS_CA=${tls.caPath} STRATUS_TLS_CERT=${tls.certPath} STRATUS_TLS_KEY=${tls.keyPath}`];
    ctx.stdout.write(
      [
        `Stratus is up on ${endpoint}`,
        `${deployed.action} function ${EXAMPLE_FUNCTION} from ${EXAMPLE_DIR} and invoked it with ${payload}:`,
        `  ${result.functionError ? `(${result.functionError}) ` : ''}${result.payloadText}`,
        ...(report ? [`  ${report.trim()}`] : []),
        '',
        ...keyHint,
        ...tlsHint,
        `try:  npx stratus invoke ${EXAMPLE_FUNCTION} --payload '{"name":"Ada"}'${endpointFlag}`,
        ...awsHint(ctx, cluster, `lambda invoke --function-name ${EXAMPLE_FUNCTION} --cli-binary-format raw-in-base64-out --payload '{"name":"Ada"}' out.json`),
        ...(functionUrl ? [`curl: curl ${functionUrl}`] : []),
        stopHint(),
      ].join('\n'),
    );
  } finally {
    await client.close();
  }
}

function httpEndpointOf(cluster: LocalCluster): string | undefined {
  return cluster.httpAddress === undefined ? undefined : `http://${cluster.httpAddress}`;
}

/**
 * How to point the AWS CLI at the Lambda API: the admin key as access key id
 * and secret, read from its file, never printed. Debian's AWS CLI v2 by its
 * full path, as a pip-installed v1 may come first on PATH.
 */
function awsHint(ctx: CliContext, cluster: LocalCluster, command = 'lambda list-functions'): string[] {
  const httpEndpoint = httpEndpointOf(cluster);
  if (httpEndpoint === undefined) return [];
  const keyFile = join(cluster.dataDir, 'admin.key');
  const shownKeyFile = keyFile === join(ctx.cwd, '.stratus', 'admin.key') ? join('.stratus', 'admin.key') : keyFile;
  return [
    `aws:  export AWS_ACCESS_KEY_ID=$(cut -d. -f1 ${shownKeyFile}) AWS_SECRET_ACCESS_KEY=$(cut -d. -f2 ${shownKeyFile}) AWS_REGION=local`,
    `      ${AWS_CLI} ${command} --endpoint-url ${httpEndpoint}${command.endsWith(' out.json') ? ' && cat out.json' : ''}`,
  ];
}

function stopHint(): string {
  return 'stop: press Ctrl-C\n';
}
