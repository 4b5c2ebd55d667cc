// `@stratus/registry/etcd`: the one place that creates etcd clients. Kept apart
// from the package root because etcd3 loads grpc-js and protobufjs, and only a
// service's main.ts (and tests) should pay for that; the stores take a client.
export { createEtcdClient } from './etcd-client.js';
export type { EtcdClientOptions, EtcdCredentials, EtcdTls } from './etcd-client.js';
export { resolveEtcdCredentials } from './etcd-credentials.js';
export type { EtcdAuthConfig } from './etcd-credentials.js';
export { applyEtcdAuth, removeEtcdUsers } from './etcd-auth-apply.js';
export type { ApplyEtcdAuthOptions, ApplyEtcdAuthResult, RemoveEtcdUsersOptions, RemoveEtcdUsersResult } from './etcd-auth-apply.js';
