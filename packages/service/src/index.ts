export { runService } from './service-main.js';
export type { RunServiceOptions, ServiceContext } from './service-main.js';
export { startMetricsServer } from './metrics-server.js';
export type { MetricsServer } from './metrics-server.js';
