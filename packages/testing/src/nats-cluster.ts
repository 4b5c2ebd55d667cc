import { join } from 'node:path';
import { connect } from 'nats';
import { findFreePorts, startNatsServer, type NatsServerHandle } from '@stratus/local-cluster';
import { serverBinaries } from './binaries.js';
import { once } from './once.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface TestNatsClusterOptions {
  /** Servers in the cluster. Default 3, so JetStream keeps a quorum with one down. */
  readonly size?: number;
}

/** One server of a {@link TestNatsCluster}. */
export interface TestNatsClusterMember {
  readonly name: string;
  /** nats://127.0.0.1:PORT, the same after a restart. */
  readonly url: string;
  /** The running process's pid; undefined while it is down. */
  readonly pid: number | undefined;
  /** Sends `signal` to the server (SIGSTOP to freeze it with its sockets open, SIGKILL to kill it). */
  signal(signal: NodeJS.Signals): void;
  /** Starts a killed server again, on the same ports, with its JetStream store. */
  restart(): Promise<void>;
  /** The `name`s of the client connections the server holds now (its `/connz`). */
  clientNames(): Promise<string[]>;
  stderr(): string;
}

/** NATS servers routed into one cluster, JetStream on each, in a temp dir; `stop()` kills them all and removes it. */
export interface TestNatsCluster extends AsyncDisposable {
  readonly members: readonly TestNatsClusterMember[];
  /** The first member's URL: enough for a client, which learns the others from it. */
  readonly url: string;
  stop(): Promise<void>;
}

const JETSTREAM_READY_TIMEOUT_MS = 30_000;

/** Starts a NATS cluster on free loopback ports and waits until its JetStream answers. */
export async function startNatsCluster(options: TestNatsClusterOptions = {}): Promise<TestNatsCluster> {
  const size = options.size ?? 3;
  const { natsServer } = await serverBinaries();
  const dir = await makeTempDir();
  const ports = await findFreePorts(3 * size);
  const specs = Array.from({ length: size }, (_, i) => ({
    name: `nats-${i + 1}`,
    clientPort: ports[3 * i] as number,
    routePort: ports[3 * i + 1] as number,
    monitoringPort: ports[3 * i + 2] as number,
  }));
  const routes = specs.map((spec) => `nats-route://127.0.0.1:${spec.routePort}`);
  const handles: (NatsServerHandle | undefined)[] = specs.map(() => undefined);
  const startMember = async (i: number): Promise<void> => {
    const spec = specs[i];
    if (spec === undefined) throw new Error(`no member ${i}`);
    handles[i] = await startNatsServer({
      binary: natsServer,
      dir: join(dir, spec.name),
      port: spec.clientPort,
      monitoringPort: spec.monitoringPort,
      cluster: { name: 'test', serverName: spec.name, routePort: spec.routePort, routes },
    });
  };
  const stop = once(async () => {
    try {
      await Promise.all(handles.map((handle) => handle?.stop() ?? Promise.resolve()));
    } finally {
      await removeTempDir(dir);
    }
  });
  try {
    await Promise.all(specs.map((_, i) => startMember(i)));
    await waitForJetStream(`nats://127.0.0.1:${specs[0]?.clientPort}`);
  } catch (err) {
    await stop();
    throw err;
  }
  const members = specs.map((spec, i): TestNatsClusterMember => {
    let down = false;
    return {
      name: spec.name,
      url: `nats://127.0.0.1:${spec.clientPort}`,
      get pid() {
        return down ? undefined : handles[i]?.pid;
      },
      signal: (signal) => {
        const pid = handles[i]?.pid;
        if (pid === undefined || down) throw new Error(`${spec.name} is not running`);
        if (signal === 'SIGKILL' || signal === 'SIGTERM') down = true;
        process.kill(pid, signal);
      },
      restart: async () => {
        await handles[i]?.exited;
        await startMember(i);
        down = false;
      },
      clientNames: async () => {
        const response = await fetch(`http://127.0.0.1:${spec.monitoringPort}/connz?limit=1024`);
        const body = (await response.json()) as { connections?: { name?: string }[] };
        return (body.connections ?? []).map((connection) => connection.name ?? '');
      },
      stderr: () => handles[i]?.stderr() ?? '',
    };
  });
  return { members, url: members[0]?.url ?? '', stop, [Symbol.asyncDispose]: stop };
}

/** A clustered JetStream answers only once its servers have elected a meta leader. */
async function waitForJetStream(url: string): Promise<void> {
  const nc = await connect({ servers: url, noAsyncTraces: true });
  try {
    const deadline = Date.now() + JETSTREAM_READY_TIMEOUT_MS;
    for (;;) {
      try {
        await (await nc.jetstreamManager({ timeout: 1_000 })).getAccountInfo();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`the NATS cluster's JetStream did not come up within ${JETSTREAM_READY_TIMEOUT_MS} ms`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await nc.close();
  }
}
