export { startNats, startConnectedNats, startEtcd } from './servers.js';
export type { ConnectedTestNats, TestEtcd, TestNats, TestNatsOptions, TestServer } from './servers.js';
export { randomNamespacePrefix } from './namespace.js';
export { startTestCluster } from './test-cluster.js';
export type { TestCluster } from './test-cluster.js';
