export { WorkerNode } from './worker-node.js';
export type { WorkerNodeOptions, WorkerNodeSettings } from './worker-node.js';
export { EnvironmentPool } from './environment-pool.js';
export type { EnvironmentPoolOptions, Lease, PooledEnvironment } from './environment-pool.js';
export { CodeCache } from './code-cache.js';
export type { CodeCacheOptions } from './code-cache.js';
export { workerNodeSettingsFrom } from './settings-from-config.js';
