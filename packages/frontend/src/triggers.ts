import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { TriggerMessage } from '@stratus/contracts/grpc';

/**
 * What one trigger (a schedule, an event source mapping, an object
 * notification) says of itself, as this frontend sees it. Times are ms since
 * the epoch; an absent one is unknown or never.
 */
export interface TriggerStatus {
  /** The kind of event source, the same for every trigger one source reports: `schedule`, `event-source-mapping`, … */
  readonly kind: string;
  /** Unique within its kind. */
  readonly name: string;
  readonly functionName: string;
  /** The version or alias it invokes; '' for $LATEST. */
  readonly qualifier: string;
  /** `ENABLED`, `DISABLED`, or the source's own word for why it does not fire (`FAILING`, `COMPLETED`). */
  readonly state: string;
  /** Where its events come from, in the source's terms: an expression, a subject, a bucket. */
  readonly source: string;
  readonly lastFireMs?: number | undefined;
  readonly nextFireMs?: number | undefined;
  /** How late the last firing was, or how old the oldest waiting event is, in ms. */
  readonly lagMs?: number | undefined;
  /** Events waiting to be handed to the function (stream sources). */
  readonly backlog?: number | undefined;
  readonly lastError?: string | undefined;
  readonly lastErrorMs?: number | undefined;
}

/**
 * An event source that reports its triggers. `triggers()` is called for
 * every `ListTriggers` and every `/metrics` scrape, so it answers from memory
 * (no etcd or JetStream round trip per call, or a cached one).
 */
export interface TriggerSource {
  readonly kind: string;
  triggers(): readonly TriggerStatus[] | Promise<readonly TriggerStatus[]>;
}

/** How one firing ended, for `stratus_trigger_fires_total`: `ok` (the event was stored or handed over), `error`, or `missed` (a tick skipped, too late to fire). */
export type TriggerOutcome = 'ok' | 'error' | 'missed';

/**
 * Where every event source in a frontend registers, so `stratus triggers ls`
 * (`ListTriggers`) and `/metrics` list them all alike. A source registers once
 * it is started and calls the returned function when it closes; it reports
 * each firing with {@link TriggerRegistry.fired}.
 */
export class TriggerRegistry {
  readonly #sources = new Set<TriggerSource>();
  readonly #fires: Counter<'kind' | 'name' | 'outcome'>;
  readonly #log: Logger;

  constructor(metrics: Registry, log: Logger) {
    this.#log = log.child({ component: 'triggers' });
    const registers = [metrics];
    this.#fires = new Counter({
      name: 'stratus_trigger_fires_total',
      help: 'Times a trigger fired (an event stored for its function, or handed over), by outcome: ok, error, or missed (a tick skipped, too late to fire).',
      labelNames: ['kind', 'name', 'outcome'],
      registers,
    });
    const list = (): Promise<TriggerStatus[]> => this.list();
    new Gauge({
      name: 'stratus_trigger_enabled',
      help: 'Each trigger this frontend knows: 1 when it is ENABLED, 0 otherwise.',
      labelNames: ['kind', 'name', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const t of await list()) this.set({ kind: t.kind, name: t.name, state: t.state }, t.state === 'ENABLED' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'stratus_trigger_lag_seconds',
      help: 'How late the last firing of each trigger was, or how old its oldest waiting event is, in seconds.',
      labelNames: ['kind', 'name'],
      registers,
      async collect() {
        this.reset();
        for (const t of await list()) if (t.lagMs !== undefined) this.set({ kind: t.kind, name: t.name }, t.lagMs / 1000);
      },
    });
    new Gauge({
      name: 'stratus_trigger_backlog',
      help: 'Events waiting to be handed to the function, per trigger that has a backlog (stream sources).',
      labelNames: ['kind', 'name'],
      registers,
      async collect() {
        this.reset();
        for (const t of await list()) if (t.backlog !== undefined) this.set({ kind: t.kind, name: t.name }, t.backlog);
      },
    });
  }

  /** Adds a source; the returned function removes it (safe to call twice). */
  register(source: TriggerSource): () => void {
    this.#sources.add(source);
    return () => {
      this.#sources.delete(source);
    };
  }

  /** Counts one firing of a trigger. */
  fired(kind: string, name: string, outcome: TriggerOutcome): void {
    this.#fires.inc({ kind, name, outcome });
  }

  /** Every registered source's triggers, by kind then name; a source that fails to answer is logged and left out. */
  async list(filter: { readonly kind?: string; readonly functionName?: string } = {}): Promise<TriggerStatus[]> {
    const sources = [...this.#sources].filter((s) => !filter.kind || s.kind === filter.kind);
    const answers = await Promise.all(
      sources.map(async (source) => {
        try {
          return await source.triggers();
        } catch (err) {
          this.#log.warn({ err, kind: source.kind }, 'a trigger source could not list its triggers');
          return [];
        }
      }),
    );
    return answers
      .flat()
      .filter((t) => (!filter.kind || t.kind === filter.kind) && (!filter.functionName || t.functionName === filter.functionName))
      .sort((a, b) => (a.kind === b.kind ? compare(a.name, b.name) : compare(a.kind, b.kind)));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The wire form of a trigger, 0 and '' for what is unknown. */
export function toTriggerMessage(t: TriggerStatus): TriggerMessage {
  return {
    kind: t.kind,
    name: t.name,
    functionName: t.functionName,
    qualifier: t.qualifier,
    state: t.state,
    source: t.source,
    lastFireMs: t.lastFireMs ?? 0,
    nextFireMs: t.nextFireMs ?? 0,
    lagMs: Math.max(0, Math.round(t.lagMs ?? 0)),
    backlog: t.backlog ?? 0,
    lastError: t.lastError ?? '',
    lastErrorMs: t.lastErrorMs ?? 0,
  };
}
