// What the peers run and how they are started: plain text and arguments, no processes, so it can be unit-tested.

/**
 * The peers' exact versions. serverless 4 and serverless-offline 14 need the
 * internet (a login) or Node 22, so the last 3.x / 13.x are pinned.
 */
export const PEER_PACKAGES: Readonly<Record<string, string>> = {
  workerd: '1.20261117.1',
  serverless: '3.40.0',
  'serverless-offline': '13.9.0',
};

/** The package.json of the peers' own folder (bench/.peers/), kept apart from the workspace's dependencies. */
export function peersPackageJson(): string {
  return `${JSON.stringify(
    {
      name: 'stratus-bench-peers',
      private: true,
      description: 'Peers `npm run bench -- --peers` compares Stratus with; installed on demand, not part of the workspace.',
      dependencies: PEER_PACKAGES,
    },
    null,
    2,
  )}\n`;
}

/**
 * The trivial handler as a workerd ES module worker: it answers the POSTed
 * event, parsed and serialised again as Stratus does with a handler's
 * return value.
 */
export const WORKERD_WORKER_SOURCE = `export default {
  async fetch(request) {
    const event = await request.json();
    return new Response(JSON.stringify(event), { headers: { 'content-type': 'application/json' } });
  },
};
`;

/** Old enough for every workerd release pinned here, new enough for ES module workers. */
const WORKERD_COMPATIBILITY_DATE = '2024-09-23';

/** A workerd config (Cap'n Proto text) serving worker.js, next to it, on 127.0.0.1:`port`. */
export function workerdConfig(port: number): string {
  assertPort(port);
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .trivialWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const trivialWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "${WORKERD_COMPATIBILITY_DATE}",
);
`;
}

export function workerdArgs(configFile: string): string[] {
  return ['serve', configFile];
}

/**
 * The trivial handler as a Lambda behind an HTTP API: the event is the API
 * Gateway request, so it answers the request's body, parsed and serialised
 * again like workerd's worker and Stratus.
 */
export const LAMBDA_HANDLER_SOURCE = `'use strict';
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(JSON.parse(event.body)),
});
`;

/** serverless.yml of a one-function service: handler.js behind POST / of an HTTP API. */
export function serverlessYml(): string {
  return `service: stratus-bench-peer
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  stage: bench
plugins:
  - serverless-offline
functions:
  trivial:
    handler: handler.handler
    events:
      - httpApi:
          method: POST
          path: /
`;
}

/**
 * `serverless offline start` on loopback. `--useInProcess` because the default
 * runner starts a worker thread per concurrent request and keeps it: at
 * concurrency 1000 that is a thousand threads of a few tens of MB each.
 */
export function serverlessArgs(ports: { readonly httpPort: number; readonly lambdaPort: number }): string[] {
  assertPort(ports.httpPort);
  assertPort(ports.lambdaPort);
  return [
    'offline',
    'start',
    '--host',
    '127.0.0.1',
    '--httpPort',
    String(ports.httpPort),
    '--lambdaPort',
    String(ports.lambdaPort),
    '--noPrependStageInUrl',
    '--useInProcess',
  ];
}

/**
 * Environment for serverless: no telemetry, notifications, update or
 * deprecation checks (the bench reaches no network but the npm registry),
 * and a HOME of its own so its ~/.serverlessrc lands in the run's temp dir.
 */
export function serverlessEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DEPRECATION_DISABLE: '*',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    CI: '1',
  };
}

function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`not a TCP port: ${port}`);
}
