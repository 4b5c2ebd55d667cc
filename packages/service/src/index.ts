export { runService, readServiceEnv } from './service-main.js';
export type { RunServiceOptions, ServiceContext, ServiceEnv } from './service-main.js';
