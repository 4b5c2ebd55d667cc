import { defineServiceConfig, integerSetting, pathSetting, setting, type ConfigOf } from '@stratus/contracts';
import { frontendConfig } from '@stratus/frontend/config';
import { nodeConfig } from '@stratus/worker-node/config';

/**
 * The combined process's settings: every frontend setting as the frontend
 * reads it, the worker node's own settings (`STRATUS_NODE_*`) as the node
 * reads them, and the node's own NATS and etcd login, so each half keeps the
 * permissions of its role. This module is the package's `config` subpath: it
 * loads nothing but the services' settings schemas.
 */
const node = nodeConfig.settings;

const combinedSettings = {
  ...frontendConfig.settings,
  nodeId: node.nodeId,
  memoryBudgetMb: node.memoryBudgetMb,
  maxInFlight: node.maxInFlight,
  maxRunningIsolates: node.maxRunningIsolates,
  lightIsolateSlots: node.lightIsolateSlots,
  spareIsolatesPerMemorySize: node.spareIsolatesPerMemorySize,
  spareEnvironmentsPercent: node.spareEnvironmentsPercent,
  leaseTtlSec: node.leaseTtlSec,
  keepWarmMs: node.keepWarmMs,
  codeCacheDir: node.codeCacheDir,
  dataDir: node.dataDir,
  usageFlushIntervalMs: node.usageFlushIntervalMs,
  egressDeny: node.egressDeny,
  // The node holds a call back at most 1 s for a busy environment before it starts another: a call kept here
  // longer than that would end in a cold start all the same, so neither bound goes past it.
  maxLocalWaitMs: integerSetting({
    env: 'STRATUS_LOCAL_MAX_WAIT_MS',
    doc: "How long a call may be expected to wait for one of its function's busy environments on this process's node ((calls waiting + 1) × the function's mean hold time ÷ its busy environments there) and still run here rather than cross NATS to a node with an idle one. The default favours this node (a hop's CPU is what bounds one machine); on a cluster of several machines, a lower value sends overflow to other machines sooner.",
    default: 20,
    min: 0,
    max: 1_000,
  }),
  maxQueuedWaitMs: integerSetting({
    env: 'STRATUS_LOCAL_MAX_QUEUED_WAIT_MS',
    doc: "A longer expected wait, up to this, still runs here while the function's calls queue for isolate slots on this node and no other node has an idle environment of it (every queue is long, and this one costs no hop); past it, placement decides. At least `STRATUS_LOCAL_MAX_WAIT_MS`; lower it on a cluster of several machines to spread such load sooner.",
    default: 500,
    min: 0,
    max: 1_000,
  }),
  spreadMinIdleMillicores: integerSetting({
    env: 'STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES',
    doc: "How much of this machine's CPU, in millicores (1000 = one core), must be idle, measured every 0.5 s, for a call this process's node would take to go to another node on the same machine (same host name) instead: that node's CPU is this machine's, so the call gains only while cores sit idle, and costs the NATS hop on top. While fewer are, such nodes get this process's calls only when its node refuses them. Nodes on other machines are not affected. 0: nodes on this machine are treated as on others (calls spread by load alone).",
    default: 500,
    min: 0,
    max: 1_000_000,
  }),
  nodeNatsUser: setting<string>({
    env: 'STRATUS_NODE_NATS_USER',
    doc: "The NATS user the combined process's worker node connects as (the node's own user, `natsPermissions` role `node`), on a second connection; `STRATUS_NATS_USER` is its frontend's.",
    default: { none: "none: the node shares the frontend's connection (NATS without users, or one user allowed both roles' subjects)" },
    allowed: 'a user name',
    parse: (text) => text,
  }),
  nodeNatsPassword: setting<string>({
    env: 'STRATUS_NODE_NATS_PASSWORD',
    doc: 'The password of `STRATUS_NODE_NATS_USER`.',
    default: { none: 'none' },
    allowed: 'a password',
    parse: (text) => text,
  }),
  nodeEtcdUser: setting<string>({
    env: 'STRATUS_NODE_ETCD_USER',
    doc: "The etcd user the combined process's worker node connects as (`<namespace>-node-<node id>`), on a client of its own; `STRATUS_ETCD_USER` is its frontend's.",
    default: { none: "none: the node shares the frontend's etcd client" },
    allowed: 'an etcd user name',
    parse: (text) => text,
  }),
  nodeEtcdPassword: setting<string>({
    env: 'STRATUS_NODE_ETCD_PASSWORD',
    doc: 'The password of `STRATUS_NODE_ETCD_USER`; or use `STRATUS_NODE_ETCD_PASSWORD_FILE`.',
    default: { none: 'none' },
    allowed: 'a password',
    parse: (text) => text,
  }),
  nodeEtcdPasswordFile: pathSetting({
    env: 'STRATUS_NODE_ETCD_PASSWORD_FILE',
    doc: 'A file holding the password of `STRATUS_NODE_ETCD_USER`, read once at start; not with `STRATUS_NODE_ETCD_PASSWORD`.',
    default: { none: 'none' },
  }),
};

export const combinedConfig = defineServiceConfig('combined', combinedSettings, [
  ({ maxLocalWaitMs, maxQueuedWaitMs }, env) =>
    maxQueuedWaitMs < maxLocalWaitMs
      ? {
          variables: ['maxQueuedWaitMs', 'maxLocalWaitMs'],
          problem: `${env.maxQueuedWaitMs}=${maxQueuedWaitMs} is below ${env.maxLocalWaitMs}=${maxLocalWaitMs}: the bound for long queues must be at least the other`,
        }
      : undefined,
]);

/** The combined process's resolved configuration. */
export type CombinedConfig = ConfigOf<typeof combinedConfig.settings>;
