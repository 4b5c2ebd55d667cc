import { defineConfig } from 'vitest/config';

const UNIT_AND_INT = ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'bench/test/**/*.test.ts'];
const INT = ['packages/*/test/**/*.int.test.ts', 'test/**/*.int.test.ts', 'bench/test/**/*.int.test.ts'];

// `vitest run` runs both projects (npm test); `--project unit` or `--project int` one kind
// (npm run test:unit, npm run test:int). Both inherit everything below (`extends: true`).
export default defineConfig({
  test: {
    // isolated-vm needs this flag in every process that loads it (Node 20).
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    // Integration files start real nats-server and etcd processes; two cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT_AND_INT,
          exclude: [...INT, '**/node_modules/**'],
          // Fails any unit test that starts a process or opens a socket.
          setupFiles: ['packages/testing/src/unit-test-guard.ts'],
        },
      },
      { extends: true, test: { name: 'int', include: INT } },
    ],
  },
});
