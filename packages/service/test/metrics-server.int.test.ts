import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { startMetricsServer, type MetricsServer } from '../src/index.js';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startMetricsServer', () => {
  it('serves the registry at /metrics on a free port, and 404 elsewhere', async () => {
    const registry = new Registry();
    new Counter({ name: 'stratus_test_total', help: 'a test counter', registers: [registry] }).inc(3);
    server = await startMetricsServer({ address: '127.0.0.1:0', registry, log: pino({ level: 'silent' }) });
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const response = await fetch(`http://${server.address}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('stratus_test_total 3');
    expect((await fetch(`http://${server.address}/`)).status).toBe(404);
  });

  it('rejects an address that is not host:port', async () => {
    await expect(startMetricsServer({ address: 'nonsense', registry: new Registry(), log: pino({ level: 'silent' }) })).rejects.toThrow(/host:port/);
  });
});
