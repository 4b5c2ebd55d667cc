/**
 * The ready message each service's `main.ts` sends to its parent over the IPC
 * channel when it was started by a launcher (the local cluster). The settings
 * a launcher passes are in `service-config.ts` and each service's `config`.
 */
/** `combined` is a frontend and a worker node in one process (what `stratus up` runs by default). */
export type ServiceName = 'frontend' | 'node' | 'billing' | 'combined';

export interface ReadyMessage {
  readonly type: 'ready';
  readonly service: ServiceName;
  /** frontend and combined: the address it listens on; node and combined: the node's id. */
  readonly address?: string;
  readonly nodeId?: string;
  /** frontend and combined: where Lambda's REST API listens, when it is served. */
  readonly httpAddress?: string;
  /** Where the service serves Prometheus metrics (host:port), when it does. */
  readonly metricsAddress?: string;
}

export function isReadyMessage(value: unknown): value is ReadyMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ready';
}
