export { startNats, startConnectedNats, startEtcd } from './servers.js';
export type { ConnectedTestNats, TestEtcd, TestNats, TestNatsOptions, TestServer } from './servers.js';
export { randomNamespacePrefix } from './namespace.js';
export { startTestCluster } from './test-cluster.js';
export type { TestCluster, TestClusterOptions } from './test-cluster.js';
export { descendantsOf, isAlive } from './processes.js';
