import { defineServiceConfig, pathSetting, setting, type ConfigOf } from '@stratus/contracts';
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

export const combinedConfig = defineServiceConfig('combined', {
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
});

/** The combined process's resolved configuration. */
export type CombinedConfig = ConfigOf<typeof combinedConfig.settings>;
