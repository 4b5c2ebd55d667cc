import { afterAll, beforeAll } from 'vitest';
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  type InvokeMode,
  type InvokeWithResponseStreamCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { TestCluster } from '@stratus/testing';
import { indexJs } from './code.js';
import { lambdaApiAdmin, lambdaClient } from './lambda-api.js';

/**
 * A streaming handler that writes `event.n` numbers (`0,1,…,`) in its first task, waits 5 ms, and ends with `end`:
 * its first batch is published before the handler yields, as early as a chunk can be, and the last after a timer.
 * {@link streamerText} is what a client should read.
 */
export const STREAMER = `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  for (let i = 0; i < event.n; i++) stream.write(String(i) + ',');
  await new Promise((resolve) => setTimeout(resolve, 5));
  stream.end('end');
});`;

/** The text {@link STREAMER} streams for `{"n": n}`. */
export function streamerText(n: number): string {
  return Array.from({ length: n }, (_, i) => `${i},`).join('') + 'end';
}

/** A function a streaming test file makes through the Lambda API before its tests. */
export interface StreamingFunction {
  /** Its `index.js`. */
  readonly source: string;
  /** Default 3 s, as Lambda's. */
  readonly timeoutSec?: number;
  /** Default 128 MB. */
  readonly memoryMb?: number;
  /** A function URL made for it with this InvokeMode (none by default); {@link StreamingCluster.urlOf} gives it. */
  readonly url?: InvokeMode;
}

/** A file's cluster, the Lambda API client on it, and the URLs of its functions. */
export interface StreamingCluster {
  readonly cluster: TestCluster;
  readonly client: LambdaClient;
  /** The function URL made for `name` (`url` in its {@link StreamingFunction}). */
  urlOf(name: string): string;
}

export interface StreamingClusterOptions {
  /** Starts the file's cluster (with whatever layout, NATS and settings the file tests). */
  readonly start: () => Promise<TestCluster>;
  /** Made in order once the cluster is up: name → function. */
  readonly functions: Readonly<Record<string, StreamingFunction>>;
  /** Runs after the cluster has stopped, however the file ended (a NATS cluster `start` made for it). */
  readonly afterStop?: () => Promise<void>;
}

/**
 * One cluster for a streaming test file: started in `beforeAll` with its functions (and their URLs) made through the
 * Lambda API, stopped in `afterAll` however the tests end. Read `cluster`, `client` and `urlOf` in tests, not in a
 * `describe` body (they are not there yet).
 */
export function useStreamingCluster(options: StreamingClusterOptions): StreamingCluster {
  let cluster: TestCluster | undefined;
  let client: LambdaClient | undefined;
  const urls = new Map<string, string>();
  beforeAll(async () => {
    cluster = await options.start();
    client = lambdaClient(lambdaApiAdmin(cluster));
    for (const [name, fn] of Object.entries(options.functions)) {
      await client.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: 'r',
          Handler: 'index.handler',
          Runtime: 'nodejs20.x',
          Timeout: fn.timeoutSec,
          MemorySize: fn.memoryMb,
          Code: { ZipFile: indexJs(fn.source) },
        }),
      );
      if (fn.url !== undefined) {
        const created = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', InvokeMode: fn.url }));
        urls.set(name, created.FunctionUrl ?? '');
      }
    }
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    try {
      await cluster?.stop();
    } finally {
      await options.afterStop?.();
    }
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useStreamingCluster: the cluster starts in beforeAll; use it in tests');
    return value;
  };
  return {
    get cluster() {
      return started(cluster);
    },
    get client() {
      return started(client);
    },
    urlOf(name) {
      const url = urls.get(name);
      if (url === undefined) throw new Error(`useStreamingCluster: ${name} was made without a URL`);
      return url;
    },
  };
}

/** A response stream as the SDK decodes it. */
export interface DecodedStream {
  /** Each PayloadChunk's bytes as UTF-8 text, in order. */
  readonly chunks: string[];
  /** The InvokeComplete event, if one came. */
  readonly complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } | undefined;
  /** `chunk` and `complete`, in the order the events came (nothing may follow InvokeComplete). */
  readonly order: string[];
}

/** Reads an InvokeWithResponseStream answer's events to the end. */
export async function readEventStream(output: InvokeWithResponseStreamCommandOutput): Promise<DecodedStream> {
  const chunks: string[] = [];
  const order: string[] = [];
  let complete: DecodedStream['complete'];
  for await (const event of output.EventStream ?? []) {
    if (event.PayloadChunk !== undefined) {
      chunks.push(Buffer.from(event.PayloadChunk.Payload ?? new Uint8Array()).toString('utf8'));
      order.push('chunk');
    } else if (event.InvokeComplete !== undefined) {
      complete = event.InvokeComplete;
      order.push('complete');
    }
  }
  return { chunks, complete, order };
}
