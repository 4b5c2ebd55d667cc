import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { isReadyMessage, type ReadyMessage, type ServiceName } from '@stratus/contracts';
import { describeExit, exitOf, failureWithOutput, stopProcess, type ExitStatus } from './child-process.js';
import type { ChildLogSink, ChildSource } from './child-logs.js';
import { OutputTail } from './output-tail.js';

/**
 * The Node.js flags every service starts with. `--no-node-snapshot`:
 * isolated-vm needs it. `--max-semi-space-size=64`: a warm call allocates
 * ~49 KB in the process that answers it, so with V8's default 16 MB
 * semi-space a 4–14 ms scavenge came every ~300 calls under load; 64 MB
 * halved the scavenges and the GC pause per call (31–49 → 13–14 µs, measured
 * at c=100). The runtime keeps functions' isolates at isolated-vm's own sizes.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--no-node-snapshot', '--max-semi-space-size=64'];

export interface ServiceProcessOptions {
  readonly service: ServiceName;
  readonly nodeId?: string;
  /** Which one, for a service that runs more than once without a node id (e.g. 'frontend-2'). Default none. */
  readonly instance?: string;
  /** Absolute path of the service's `main` script. */
  readonly mainPath: string;
  /** Node.js flags after {@link SERVICE_NODE_FLAGS}, before the entry point. Default none. */
  readonly nodeArgs?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly sink: ChildLogSink;
  readonly log: Logger;
}

/**
 * One service running as a child process of the launcher: its output goes to
 * the log sink (and a tail kept for failure messages), and it reports
 * readiness with a ReadyMessage over the IPC channel.
 */
export class ServiceProcess {
  readonly service: ServiceName;
  readonly nodeId: string | undefined;
  readonly instance: string | undefined;
  readonly pid: number;
  readonly exited: Promise<ExitStatus>;
  readonly #child: ChildProcess;
  readonly #output = new OutputTail();
  readonly #ready: Promise<ReadyMessage>;
  readonly #log: Logger;
  #stopping: Promise<ExitStatus> | undefined;
  #readyMessage: ReadyMessage | undefined;

  constructor(options: ServiceProcessOptions) {
    this.service = options.service;
    this.nodeId = options.nodeId;
    this.instance = options.instance;
    this.#log = options.log;
    // Its own process group: a terminal's Ctrl-C reaches only the launcher, which stops services in order.
    this.#child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...(options.nodeArgs ?? []), options.mainPath], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: options.env,
      detached: true,
    });
    this.pid = this.#child.pid ?? -1;
    this.exited = exitOf(this.#child);

    const source: ChildSource = {
      service: options.service,
      ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }),
      ...(options.instance === undefined ? {} : { instance: options.instance }),
    };
    for (const stream of ['stdout', 'stderr'] as const) {
      const readable = this.#child[stream];
      if (readable === null) continue;
      createInterface({ input: readable, crlfDelay: Infinity }).on('line', (line) => {
        this.#output.append(`${line}\n`);
        options.sink.line(source, stream, line);
      });
    }

    this.#ready = new Promise((resolve) => {
      const onMessage = (message: unknown): void => {
        if (isReadyMessage(message) && message.service === options.service) {
          this.#child.off('message', onMessage);
          this.#readyMessage = message;
          resolve(message);
        }
      };
      this.#child.on('message', onMessage);
    });

    void this.exited.then((status) => {
      // Before readiness, waitReady reports the exit; after a stop, the exit was asked for.
      if (this.#stopping !== undefined || this.#readyMessage === undefined) return;
      this.#log.error(
        { service: this.service, nodeId: this.nodeId, instance: this.instance, pid: this.pid, output: this.#output.lastLines(20) },
        `${this.name} ${describeExit(status)}`,
      );
    });
  }

  /** 'frontend', 'billing', the node id, or the instance ('frontend-2'). */
  get name(): string {
    return this.nodeId ?? this.instance ?? this.service;
  }

  /** True once stop() was called: the exit that follows was asked for. */
  get stopRequested(): boolean {
    return this.#stopping !== undefined;
  }

  /** What the service reported when it became ready (its address, for a frontend); undefined until then. */
  get readyMessage(): ReadyMessage | undefined {
    return this.#readyMessage;
  }

  /**
   * Waits for the ready message. If the process exits first or does not get
   * ready in time, it is killed and this rejects with its last output lines.
   */
  async waitReady(timeoutMs: number): Promise<ReadyMessage> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([this.#ready, this.exited.then((status) => ({ exit: status })), timedOut]);
      if (outcome === 'timeout') {
        await this.stop({ signal: 'SIGKILL', graceMs: 0 });
        throw failureWithOutput(`${this.name} was not ready within ${timeoutMs} ms`, this.#output);
      }
      if ('exit' in outcome) {
        throw failureWithOutput(`${this.name} ${describeExit(outcome.exit)} before it was ready`, this.#output);
      }
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends `signal` (default SIGTERM; the service drains), SIGKILLs after
   * `graceMs`, and resolves once the process is gone. Safe to call twice.
   */
  stop(options: { readonly signal?: NodeJS.Signals; readonly graceMs: number }): Promise<ExitStatus> {
    this.#stopping ??= stopProcess(this.#child, this.exited, options).then((status) => {
      this.#log.debug({ service: this.service, nodeId: this.nodeId, pid: this.pid }, `${this.name} ${describeExit(status)}`);
      return status;
    });
    return this.#stopping;
  }
}
