import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { locateServerBinaries } from '../src/index.js';

let dir: string;
let fakeNats: string;
let fakeEtcd: string;
let notExecutable: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratus-test-'));
  fakeNats = join(dir, 'nats-server');
  fakeEtcd = join(dir, 'etcd');
  notExecutable = join(dir, 'plain-file');
  for (const path of [fakeNats, fakeEtcd]) {
    await writeFile(path, '#!/bin/sh\n');
    await chmod(path, 0o755);
  }
  await writeFile(notExecutable, '');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const noLog = (): void => {};

describe('locateServerBinaries', () => {
  it('uses NATS_SERVER_BIN and ETCD_BIN when set', async () => {
    const found = await locateServerBinaries({
      install: false,
      log: noLog,
      env: { PATH: '', NATS_SERVER_BIN: fakeNats, ETCD_BIN: fakeEtcd },
    });
    expect(found).toEqual({ natsServer: fakeNats, etcd: fakeEtcd });
  });

  it('finds the binaries on PATH', async () => {
    const found = await locateServerBinaries({ install: false, log: noLog, env: { PATH: `/nonexistent:${dir}` } });
    expect(found).toEqual({ natsServer: fakeNats, etcd: fakeEtcd });
  });

  it('rejects an override that is not an executable file, naming the variable', async () => {
    for (const path of [notExecutable, join(dir, 'missing')]) {
      const error = await locateServerBinaries({
        install: true,
        log: noLog,
        env: { PATH: dir, NATS_SERVER_BIN: path },
      }).catch((err: unknown) => err);
      expect(hasCode(error, 'UNAVAILABLE')).toBe(true);
      expect((error as Error).message).toContain(`NATS_SERVER_BIN=${path}`);
    }
  });

  it('does not run anything when the binaries are found', async () => {
    const lines: string[] = [];
    await locateServerBinaries({ install: true, log: (line) => lines.push(line), env: { PATH: dir } });
    expect(lines).toEqual([]);
  });
});
