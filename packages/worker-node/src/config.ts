import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  ETCD_AUTH_SETTINGS,
  ETCD_ENDPOINTS_SETTING,
  ETCD_TLS_SETTINGS,
  LIMITS,
  METRICS_ADDRESS_SETTING,
  SHARED_SETTINGS,
  defineServiceConfig,
  drainGraceMsSetting,
  integerSetting,
  pathSetting,
  setting,
  type ConfigOf,
} from '@stratus/contracts';
import { NODE_PROCESS_RESERVE_MB, defaultMemoryBudgetMb } from './memory-budget.js';

/**
 * The worker node's settings: each names its environment variable, parses,
 * validates and defaults it. This module is the package's `config` subpath:
 * it loads nothing but zod and contracts, so launchers (the local cluster)
 * import it for the variables' names without loading the node.
 */

/** Used by the environment pool too, when it is built without a value (tests). */
export const DEFAULT_KEEP_WARM_MS = 300_000;
/** Used by the environment pool too, when it is built without a value (tests). */
export const DEFAULT_SPARE_ENVIRONMENTS_PERCENT = 10;

export const nodeConfig = defineServiceConfig('node', {
  ...SHARED_SETTINGS,
  etcdEndpoints: ETCD_ENDPOINTS_SETTING,
  ...ETCD_AUTH_SETTINGS,
  ...ETCD_TLS_SETTINGS,
  metricsAddress: METRICS_ADDRESS_SETTING,
  nodeId: setting({
    env: 'STRATUS_NODE_ID',
    doc: "The node's name in etcd, in NATS subjects and in `stratus nodes`; unique in the cluster.",
    default: { compute: () => `node-${randomBytes(4).toString('hex')}`, doc: '`node-` and 8 random hex digits' },
    allowed: 'letters, digits, `-` and `_`, at most 64',
    parse: (text) => (/^[A-Za-z0-9_-]{1,64}$/.test(text) ? text : undefined),
  }),
  memoryBudgetMb: integerSetting({
    env: 'STRATUS_NODE_MEMORY_MB',
    doc:
      "Memory for execution environments, in MB: the sum of their functions' configured memory sizes (the cap each isolate is held to) stays within it. " +
      'Above what the machine has, it overcommits: an idle isolate holds under 1 MiB.',
    default: {
      compute: () => defaultMemoryBudgetMb(),
      doc: `the machine's memory (or its cgroup limit, when lower) less ${NODE_PROCESS_RESERVE_MB} MB for the node itself`,
    },
    min: LIMITS.memoryMinMb,
    max: 16 * 1024 * 1024,
  }),
  maxInFlight: integerSetting({
    env: 'STRATUS_NODE_MAX_IN_FLIGHT',
    doc: 'Invocations the node runs at once, whatever their memory; past it the node refuses and the frontend tries another.',
    default: 1000,
    min: 1,
    max: 100_000,
  }),
  maxRunningIsolates: integerSetting({
    env: 'STRATUS_NODE_MAX_RUNNING_ISOLATES',
    doc: "Isolates running JavaScript at once; the others' calls wait their turn, so busy handlers never starve the node's heartbeats and lease.",
    default: { compute: () => availableParallelism(), doc: "the machine's cores" },
    min: 1,
    max: 1024,
  }),
  lightIsolateSlots: setting<number>({
    env: 'STRATUS_NODE_LIGHT_ISOLATE_SLOTS',
    doc:
      "Isolates that may run at once beyond `STRATUS_NODE_MAX_RUNNING_ISOLATES` for light calls only: calls into an environment whose last invocation used under 1 ms of isolate CPU, which hold their slot mostly for thread hops rather than the CPU; 0 disables them.",
    default: { none: "the machine's cores + 1 (isolated-vm's thread pool), or `STRATUS_NODE_MAX_RUNNING_ISOLATES` when more" },
    allowed: 'a whole number from 0 to 1024',
    parse: (text) => (/^\d+$/.test(text) && Number(text) <= 1024 ? Number(text) : undefined),
  }),
  spareIsolatesPerMemorySize: integerSetting({
    env: 'STRATUS_NODE_SPARE_ISOLATES',
    doc: 'Pre-initialised spare isolates kept per memory size called recently, so a cold start only loads the function; 0 disables them.',
    default: 2,
    min: 0,
    max: 64,
  }),
  spareEnvironmentsPercent: integerSetting({
    env: 'STRATUS_NODE_SPARE_ENVIRONMENTS_PERCENT',
    doc:
      "Warm execution environments kept ahead of demand for each function in use, as a percentage of its recent peak of concurrent calls on the node (at least 1 once that peak reaches 2, at most 32), made in the background and only in memory no environment holds, so a call past the peak starts warm; 0 disables them.",
    default: DEFAULT_SPARE_ENVIRONMENTS_PERCENT,
    min: 0,
    max: 100,
  }),
  leaseTtlSec: integerSetting({
    env: 'STRATUS_NODE_LEASE_TTL_SEC',
    doc: "TTL of the node's etcd lease, in seconds: how long a dead node stays listed.",
    default: 5,
    min: 1,
    max: 3600,
  }),
  keepWarmMs: integerSetting({
    env: 'STRATUS_NODE_KEEP_WARM_MS',
    doc: 'How long an idle execution environment (and a spare isolate) is kept before it is disposed, in ms.',
    default: DEFAULT_KEEP_WARM_MS,
    min: 1,
    max: 86_400_000,
  }),
  drainGraceMs: drainGraceMsSetting(
    30_000,
    "On SIGTERM, how long the node waits at least for invocations in flight, in ms (longer when a call's own timeout ends later).",
  ),
  codeCacheDir: pathSetting({
    env: 'STRATUS_NODE_CODE_CACHE_DIR',
    doc: 'Where code bundles are cached on disk, by content hash.',
    default: { none: 'none: bundles are cached in memory only' },
  }),
  usageFlushIntervalMs: integerSetting({
    env: 'STRATUS_NODE_USAGE_FLUSH_MS',
    doc:
      'How long a usage record waits for others before its batch leaves for JetStream (a batch leaves at once at 256 records), in ms. ' +
      'Each batch costs a JetStream publish and ack and a billing delivery whatever it holds, so a shorter wait costs CPU per call at moderate load; a longer one delays usage queries.',
    // @stratus/usage's own default; not imported, as this module loads nothing but contracts.
    default: 50,
    min: 1,
    max: 3_600_000,
  }),
  dataDir: pathSetting({
    env: 'STRATUS_NODE_DATA_DIR',
    doc:
      "The node's own state, kept across restarts: the write-ahead spool of usage records (`usage-<node id>.spool`), written before each reply, so a node killed outright and restarted with the same id and directory still bills every call it answered. " +
      'Never shared by two running nodes of the same id. Without an fsync per call, a machine crash or power loss can lose the last records the kernel had not yet written out.',
    default: { none: 'none: usage waits in memory only, and a node killed outright loses that of its last ~50 ms of calls' },
  }),
  egressDeny: setting<readonly string[]>({
    env: 'STRATUS_NODE_EGRESS_DENY',
    doc:
      "The cluster's services functions must not reach, besides the etcd endpoints and NATS servers the node already knows: frontends' gRPC and metrics addresses, other nodes. " +
      "Refused even on public addresses, unless a function's egress allow list names the address and port; a service on loopback or 0.0.0.0 is refused on every address of the machine.",
    default: { none: 'none beyond etcd and NATS' },
    allowed: '`host:port` or URLs, comma-separated',
    parse: (text) => {
      const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
      return entries.every((entry) => /^([a-z]+:\/\/)?[^\s/]+(:\d+)?\/?$/.test(entry)) ? entries : undefined;
    },
  }),
});

/** The node's resolved configuration. */
export type NodeConfig = ConfigOf<typeof nodeConfig.settings>;

export { NODE_PROCESS_RESERVE_MB, defaultMemoryBudgetMb, machineMemoryMb } from './memory-budget.js';
export type { MachineMemory } from './memory-budget.js';
