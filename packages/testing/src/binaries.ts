import { locateServerBinaries, type ServerBinaries } from '@stratus/local-cluster';

let lookup: Promise<ServerBinaries> | undefined;

/**
 * nats-server and etcd, installed with apt-get when missing and running as
 * root, so a fresh CI machine works. Looked up once per test process, so
 * parallel fixtures never run apt-get twice.
 */
export function serverBinaries(): Promise<ServerBinaries> {
  lookup ??= locateServerBinaries({
    install: true,
    log: (line) => process.stderr.write(`[stratus testing] ${line}\n`),
  }).catch((err: unknown) => {
    lookup = undefined;
    throw err;
  });
  return lookup;
}
