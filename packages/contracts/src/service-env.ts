/**
 * The environment variables each service's `main.ts` reads, and the ready
 * message it sends to its parent over the IPC channel when it was started
 * by the local cluster. Defined once so the launcher and the services agree.
 */
export const SERVICE_ENV = {
  natsUrl: 'STRATUS_NATS_URL',
  etcdEndpoints: 'STRATUS_ETCD_ENDPOINTS',
  namespace: 'STRATUS_NAMESPACE',
  logLevel: 'STRATUS_LOG_LEVEL',
  /** Frontend: host:port to listen on; port 0 picks a free one (reported in the ready message). */
  grpcAddress: 'STRATUS_GRPC_ADDRESS',
  /** Frontend: concurrent executions across the account (all frontends together). */
  accountConcurrency: 'STRATUS_ACCOUNT_CONCURRENCY',
  /** Frontend: deploys unzipping and bundling at once, each in a child process. */
  deployConcurrency: 'STRATUS_DEPLOY_CONCURRENCY',
  /** Frontend: deploys waiting for a bundling slot; more are refused with THROTTLED. */
  deployQueue: 'STRATUS_DEPLOY_QUEUE',
  /** Frontend: how long one deploy may unzip and bundle before it is stopped. */
  deployTimeLimitMs: 'STRATUS_DEPLOY_TIME_LIMIT_MS',
  nodeId: 'STRATUS_NODE_ID',
  nodeMemoryMb: 'STRATUS_NODE_MEMORY_MB',
  nodeMaxInFlight: 'STRATUS_NODE_MAX_IN_FLIGHT',
  /** Node: isolates running JavaScript at once (default: the machine's cores), so busy handlers never starve the node. */
  nodeMaxRunningIsolates: 'STRATUS_NODE_MAX_RUNNING_ISOLATES',
  /** Node: pre-initialised spare isolates kept per memory size, so cold starts skip isolate creation. */
  nodeSpareIsolates: 'STRATUS_NODE_SPARE_ISOLATES',
  nodeLeaseTtlSec: 'STRATUS_NODE_LEASE_TTL_SEC',
  nodeKeepWarmMs: 'STRATUS_NODE_KEEP_WARM_MS',
  nodeCodeCacheDir: 'STRATUS_NODE_CODE_CACHE_DIR',
  billingDataDir: 'STRATUS_BILLING_DATA_DIR',
  pricePerMillionRequestsUsd: 'STRATUS_PRICE_PER_MILLION_REQUESTS_USD',
  pricePerGbSecondUsd: 'STRATUS_PRICE_PER_GB_SECOND_USD',
  drainGraceMs: 'STRATUS_DRAIN_GRACE_MS',
  /** Frontend and node: host:port for Prometheus /metrics; port 0 picks a free one. */
  metricsAddress: 'STRATUS_METRICS_ADDRESS',
} as const;

export type ServiceName = 'frontend' | 'node' | 'billing';

export interface ReadyMessage {
  readonly type: 'ready';
  readonly service: ServiceName;
  /** frontend: the address it listens on; node: its id. */
  readonly address?: string;
  readonly nodeId?: string;
  /** Where the service serves Prometheus metrics (host:port), when it does. */
  readonly metricsAddress?: string;
}

export function isReadyMessage(value: unknown): value is ReadyMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ready';
}
