import type { ClusterProcesses } from '@stratus/local-cluster';

/** Execution environments and isolate shells the worker nodes made over a run, from their Prometheus counters. */
export interface EnvironmentChurn {
  /** Environments made because a call found none idle. */
  readonly cold: number;
  /** Environments made ahead of demand. */
  readonly spare: number;
  /** Isolate shells made (each environment starts from one; the shell pool makes its spares too): 2-3 ms of a node's main thread each. */
  readonly shells: number;
  readonly disposed: number;
  readonly wallMs: number;
}

interface Counts {
  readonly cold: number;
  readonly spare: number;
  readonly shells: number;
  readonly disposed: number;
}

const SAMPLES: Readonly<Record<keyof Counts, RegExp>> = {
  cold: /^stratus_node_environments_created_total\{reason="cold"\} (\d+)$/m,
  spare: /^stratus_node_environments_created_total\{reason="spare"\} (\d+)$/m,
  shells: /^stratus_node_isolate_shells_created_total (\d+)$/m,
  disposed: /^stratus_node_environments_disposed_total (\d+)$/m,
};

/** The nodes' counters summed, or undefined when a node does not serve them (then no figure is better than a wrong one). */
async function scrape(metricsAddresses: readonly string[]): Promise<Counts | undefined> {
  const totals = { cold: 0, spare: 0, shells: 0, disposed: 0 };
  for (const address of metricsAddresses) {
    let text: string;
    try {
      const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) return undefined;
      text = await response.text();
    } catch {
      return undefined;
    }
    for (const key of Object.keys(SAMPLES) as Array<keyof Counts>) {
      const match = SAMPLES[key].exec(text);
      if (match?.[1] === undefined) return undefined;
      totals[key] += Number(match[1]);
    }
  }
  return totals;
}

/**
 * Starts counting what the nodes make; the returned function ends the
 * interval. Null when there are no nodes' metrics to read (a figure left out,
 * not a zero).
 */
export async function startChurnMeter(metricsAddresses: readonly string[]): Promise<() => Promise<EnvironmentChurn | null>> {
  const before = metricsAddresses.length === 0 ? undefined : await scrape(metricsAddresses);
  const startedAt = performance.now();
  return async () => {
    if (before === undefined) return null;
    const wallMs = performance.now() - startedAt;
    const after = await scrape(metricsAddresses);
    if (after === undefined) return null;
    return {
      cold: after.cold - before.cold,
      spare: after.spare - before.spare,
      shells: after.shells - before.shells,
      disposed: after.disposed - before.disposed,
      wallMs,
    };
  };
}

/** The nodes' metrics addresses: none at all unless every node serves them, so the figures are whole or absent. */
export function nodeMetricsOf(started: ClusterProcesses): string[] {
  const addresses = started.nodes.map((n) => n.metricsAddress);
  return addresses.every((a): a is string => a !== undefined) ? addresses : [];
}
