import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    // isolated-vm needs this flag in every process that loads it (Node 20).
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    // Integration files start real nats-server and etcd processes; two cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
