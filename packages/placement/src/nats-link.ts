import { Events, type NatsConnection, type Status } from 'nats';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';

/**
 * Whether this process's NATS connection is up, from the connection's own
 * status events. nats.js neither fails nor sends a request made while it
 * reconnects: the request sits in its outbound buffer (dropped or sent late,
 * depending on when the next dial starts) and waits out its whole timeout.
 * Checked before sending, it lets a call that never left the frontend fail
 * at once as retryable UNAVAILABLE rather than seconds later as
 * INVOCATION_LOST, which must mean only "delivered, outcome unknown".
 */
export class NatsLink {
  readonly #nc: NatsConnection;
  readonly #status: AsyncIterable<Status>;
  #connected = true;
  #disconnectedSinceMs: number | undefined;
  readonly #reconnectListeners = new Set<() => void>();

  private constructor(nc: NatsConnection, status: AsyncIterable<Status>) {
    this.#nc = nc;
    this.#status = status;
  }

  /** Starts following `nc`, which must be connected now (as `connect()` leaves it). */
  static watch(nc: NatsConnection, log: Logger): NatsLink {
    const link = new NatsLink(nc, nc.status());
    void (async () => {
      for await (const status of link.#status) {
        if (status.type === Events.Disconnect) {
          link.#connected = false;
          link.#disconnectedSinceMs = Date.now();
          log.debug({ server: status.data }, 'NATS connection lost; calls fail as UNAVAILABLE until it is back');
        } else if (status.type === Events.Reconnect) {
          link.#connected = true;
          log.debug({ server: status.data, downMs: Date.now() - (link.#disconnectedSinceMs ?? Date.now()) }, 'NATS connection back');
          link.#disconnectedSinceMs = undefined;
          for (const listener of [...link.#reconnectListeners]) listener();
        }
      }
    })();
    return link;
  }

  get connected(): boolean {
    return this.#connected && !this.#nc.isClosed();
  }

  /**
   * Calls `listener` each time the connection comes back (nats.js has
   * subscribed again by then, reply inbox included). A reply sent to this
   * process while it was away was dropped. Returns a function that stops listening.
   */
  onReconnect(listener: () => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  /** Throws retryable UNAVAILABLE, saying that `what` was not sent, unless the connection is up. */
  assertConnected(what: string): void {
    if (!this.connected) throw new StratusError('UNAVAILABLE', `NATS is unreachable from this frontend, so ${what} was not sent; retry`);
  }

  /** Stops following the connection. Idempotent. */
  close(): void {
    this.#reconnectListeners.clear();
    // The iterator nats.js hands out is a QueuedIterator; stop() ends the loop above.
    (this.#status as { stop?: () => void }).stop?.();
  }
}
