export { runService } from './service-main.js';
export type { NatsLogin, RunServiceOptions, ServiceContext } from './service-main.js';
export { startMetricsServer } from './metrics-server.js';
export type { MetricsServer } from './metrics-server.js';
export { readEtcdTls, readTlsFiles } from './tls-files.js';
export type { EtcdTlsConfig, TlsFiles, TlsPaths } from './tls-files.js';
