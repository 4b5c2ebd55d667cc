import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { NatsConnection, Subscription } from 'nats';
import type { Namespace } from '@stratus/contracts';

/** Takes one call's chunk messages, as they arrive; must not throw. */
export type ResponseStreamHandler = (data: Uint8Array) => void;

/** One call's stream: the subject the node is told to publish to, and its end. */
export interface OpenResponseStream {
  readonly subject: string;
  /** Stops routing the call's chunks: any that still arrive are dropped and counted. Safe to call twice. */
  close(): void;
}

export interface ResponseStreamsOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Told of each chunk that arrives for a call this frontend does not know or has finished. Default nothing. */
  readonly onDropped?: () => void;
}

/**
 * Every streamed response this frontend receives, on one subscription made when it starts
 * (`<ns>.stream.<instanceId>.*`), routed to each call's handler by the subject's last token.
 *
 * A subscription per call had to be made, flushed and unmade for every call, and in a NATS cluster a node on
 * another server could publish the first chunk before that server learnt of the new interest: the chunk was
 * dropped. This one's interest has reached every server long before a call names it.
 */
export class ResponseStreams {
  /** Random per process: a restarted frontend never receives the chunks of calls its previous life made. */
  readonly instanceId: string;
  readonly #ns: Namespace;
  readonly #sub: Subscription;
  readonly #calls = new Map<string, ResponseStreamHandler>();
  readonly #log: Logger;
  readonly #onDropped: () => void;
  /** Call ids are this frontend's own: a counter is unique, short, and costs nothing. */
  #nextCall = 0;
  #dropped = 0;

  private constructor(options: ResponseStreamsOptions, instanceId: string) {
    this.instanceId = instanceId;
    this.#ns = options.ns;
    this.#log = options.log;
    this.#onDropped = options.onDropped ?? (() => {});
    const prefixLength = options.ns.subjects.responseStream(instanceId, 'x').length - 1;
    // A callback, not an iterator: each chunk reaches its call in the same tick it is read off the socket.
    this.#sub = options.nc.subscribe(options.ns.subjects.frontendResponseStreams(instanceId), {
      callback: (err, msg) => {
        if (err !== null) {
          this.#log.warn({ err }, 'the response stream subscription failed');
          return;
        }
        const handler = this.#calls.get(msg.subject.slice(prefixLength));
        if (handler === undefined) {
          this.#dropped += 1;
          this.#onDropped();
          return;
        }
        handler(msg.data);
      },
    });
  }

  /** Subscribes, and waits until this frontend's own server has the interest (the cluster learns it from there). */
  static async open(options: ResponseStreamsOptions): Promise<ResponseStreams> {
    const streams = new ResponseStreams(options, randomBytes(8).toString('hex'));
    await options.nc.flush();
    return streams;
  }

  /** Routes the chunks published to the returned subject to `handler` until it is closed. */
  open(handler: ResponseStreamHandler): OpenResponseStream {
    this.#nextCall += 1;
    const callId = this.#nextCall.toString(36);
    this.#calls.set(callId, handler);
    const calls = this.#calls;
    return {
      subject: this.#ns.subjects.responseStream(this.instanceId, callId),
      close: () => {
        calls.delete(callId);
      },
    };
  }

  /** Chunks that arrived for no call in progress (unknown, or already finished). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Unsubscribes. Safe to call twice. */
  close(): void {
    if (!this.#sub.isClosed()) this.#sub.unsubscribe();
    this.#calls.clear();
  }
}
