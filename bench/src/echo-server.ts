import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { loadStratusApi, type InvokeRequestMessage, type InvokeResponseMessage } from '@stratus/contracts/grpc';
import { MESSAGE_MAX_BYTES } from '@stratus/client';

/**
 * The gRPC baseline: a server that speaks Stratus's own Invoke and answers
 * with the request's payload at once, so the same client, channels and
 * payload measure what a bare gRPC hop costs on this machine.
 */
export async function serveEcho(address: string): Promise<{ readonly port: number; close(): Promise<void> }> {
  const api = loadStratusApi();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MESSAGE_MAX_BYTES,
    'grpc.max_send_message_length': MESSAGE_MAX_BYTES,
  });
  server.addService(api.services.Invoker.service, {
    Invoke: (
      call: grpc.ServerUnaryCall<InvokeRequestMessage, InvokeResponseMessage>,
      callback: grpc.sendUnaryData<InvokeResponseMessage>,
    ) => {
      callback(null, {
        statusCode: 200,
        payload: call.request.payload,
        functionError: '',
        executedVersion: '$LATEST',
        logResult: '',
        requestId: '',
        durationMs: 0,
        billedDurationMs: 0,
        initDurationMs: 0,
        coldStart: false,
        nodeId: '',
        report: '',
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return {
    port,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

export interface EchoProcess {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts the echo server in its own process, as the frontend runs in its own. */
export async function startEchoProcess(): Promise<EchoProcess> {
  const child: ChildProcess = fork(new URL('./echo-main.js', import.meta.url), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the echo server exited with code ${String(code)} before listening`);
    }),
  ])) as [{ port: number }];
  const pid = child.pid ?? -1;
  return {
    endpoint: `127.0.0.1:${message.port}`,
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
