import { access } from 'node:fs/promises';
import { Etcd3 } from 'etcd3';
import { connect } from 'nats';
import { afterEach, describe, expect, it } from 'vitest';
import { startEtcd, startNats } from '../src/index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('startNats', () => {
  it('gives a JetStream-enabled server that `await using` stops, removing its temp dir', async () => {
    let pid = -1;
    let dir = '';
    {
      await using nats = await startNats();
      ({ pid, dir } = nats);
      expect(await exists(dir)).toBe(true);
      const nc = await connect({ servers: nats.url });
      cleanups.push(() => nc.close());
      const jsm = await nc.jetstreamManager();
      expect((await jsm.getAccountInfo()).limits).toBeDefined();
      await nc.close();
    }
    expect(isRunning(pid)).toBe(false);
    expect(await exists(dir)).toBe(false);
  });

  it('stop() can be called twice', async () => {
    const nats = await startNats({ jetStream: false });
    cleanups.push(() => nats.stop());
    await nats.stop();
    await nats.stop();
    expect(isRunning(nats.pid)).toBe(false);
    expect(await exists(nats.dir)).toBe(false);
  });
});

describe('startEtcd', () => {
  it('gives a working etcd that stop() kills, removing its temp dir', async () => {
    const etcd = await startEtcd();
    cleanups.push(() => etcd.stop());
    const client = new Etcd3({ hosts: etcd.endpoint });
    cleanups.push(async () => client.close());
    await client.put('/t/key').value('v');
    expect(await client.get('/t/key').string()).toBe('v');
    client.close();
    await etcd.stop();
    expect(isRunning(etcd.pid)).toBe(false);
    expect(await exists(etcd.dir)).toBe(false);
  });
});
