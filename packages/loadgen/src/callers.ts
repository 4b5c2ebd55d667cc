import { Agent, request } from 'node:http';
import { createStratusClient, invokeWithRetries, type ClientTls } from '@stratus/client';

/** What a load run calls: a Stratus function through a frontend (or anything speaking its Invoke), or an HTTP endpoint. */
export type LoadTarget =
  | {
      readonly kind: 'stratus';
      /** host:port of a frontend (or of the echo baseline, which speaks the same Invoke). */
      readonly endpoint: string;
      readonly functionName: string;
      /** The event as JSON text. */
      readonly payload: string;
      /** `<keyId>.<secret>`. Default: what the client resolves (STRATUS_API_KEY, else ./.stratus/admin.key). */
      readonly apiKey?: string;
      /** TLS towards the frontend (PEM text). Default: what the client resolves (STRATUS_TLS_CA, _CERT, _KEY, else plaintext). */
      readonly tls?: ClientTls;
      /**
       * Retries of a call that failed retryably, each call with a client token
       * so a retry never runs it twice (see @stratus/client's invokeWithRetries).
       * Default 0: every failure counts, as a benchmark wants.
       */
      readonly retries?: number;
    }
  | {
      readonly kind: 'http';
      /** http:// URL that gets the payload as a POST body. */
      readonly url: string;
      readonly payload: string;
    };

/** What one successful call reports; HTTP targets report no cold starts or billing. */
export interface CallOutcome {
  readonly coldStart: boolean;
  readonly billedMs: number;
  readonly initMs: number;
  readonly functionError: boolean;
}

export interface Caller {
  call(): Promise<CallOutcome>;
  close(): Promise<void>;
}

/** Thrown by the HTTP caller for a non-2xx answer; 429 counts as a throttle, like Stratus's THROTTLED. */
export class HttpStatusError extends Error {
  readonly code: string;
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.code = status === 429 ? 'THROTTLED' : `HTTP_${status}`;
  }
}

export interface CallerOptions {
  readonly channels: number;
  readonly deadlineMs: number;
  /** Sockets the HTTP agent may open. */
  readonly maxSockets: number;
  readonly readyTimeoutMs: number;
}

export async function openCaller(target: LoadTarget, options: CallerOptions): Promise<Caller> {
  if (target.kind === 'http') return httpCaller(target.url, target.payload, options);
  const client = createStratusClient({
    endpoint: target.endpoint,
    channels: options.channels,
    deadlineMs: options.deadlineMs,
    ...(target.apiKey !== undefined ? { apiKey: target.apiKey } : {}),
    ...(target.tls !== undefined ? { tls: target.tls } : {}),
  });
  try {
    await client.waitForReady(options.readyTimeoutMs);
  } catch (err) {
    await client.close();
    throw err;
  }
  const input = { functionName: target.functionName, payload: target.payload };
  const retries = target.retries ?? 0;
  return {
    async call() {
      const result = retries > 0 ? await invokeWithRetries(client, input, { retries }) : await client.invoke(input);
      return {
        coldStart: result.coldStart,
        billedMs: result.billedDurationMs,
        initMs: result.initDurationMs,
        functionError: result.functionError !== '',
      };
    },
    close: () => client.close(),
  };
}

function httpCaller(url: string, payload: string, options: CallerOptions): Caller {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const body = Buffer.from(payload, 'utf8');
  const outcome: CallOutcome = { coldStart: false, billedMs: 0, initMs: 0, functionError: false };
  return {
    call() {
      return new Promise<CallOutcome>((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            timeout: options.deadlineMs,
            headers: { 'content-type': 'application/json', 'content-length': body.length },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) resolve(outcome);
              else reject(new HttpStatusError(status));
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error('deadline exceeded')));
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
      return Promise.resolve();
    },
  };
}
