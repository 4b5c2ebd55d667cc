import { spawn, type ChildProcess } from 'node:child_process';

const OUTPUT_KEPT_CHARS = 32 * 1024;

export interface NetnsProcessOptions {
  readonly netns: string;
  readonly argv: readonly string[];
  /** The whole environment: nothing of the test process leaks in. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Open an IPC channel (Stratus services send their ready message on it, and exit when it closes). */
  readonly ipc: boolean;
}

/**
 * One process started with `ip netns exec <ns> ...`, which execs in place:
 * the pid is the program's own, so signals reach it directly. Keeps the end
 * of its output for failure messages.
 */
export class NetnsProcess {
  readonly pid: number;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  #output = '';
  #exitedNow = false;

  constructor(options: NetnsProcessOptions) {
    this.#child = spawn('ip', ['netns', 'exec', options.netns, ...options.argv], {
      stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
      env: options.env,
      cwd: options.cwd,
    });
    this.pid = this.#child.pid ?? -1;
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        this.#output = (this.#output + chunk).slice(-OUTPUT_KEPT_CHARS);
      });
    }
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exitedNow = true;
        resolve({ code, signal });
      });
      this.#child.once('error', (err) => {
        this.#output += `\n${err.message}`;
        if (this.#child.pid === undefined) {
          this.#exitedNow = true;
          resolve({ code: null, signal: null });
        }
      });
    });
  }

  get running(): boolean {
    return !this.#exitedNow;
  }

  /** The process's last lines of output. */
  output(lines = 30): string {
    return this.#output.split('\n').filter((line) => line.trim() !== '').slice(-lines).join('\n');
  }

  /** Resolves with the first IPC message that `accept` takes. */
  message<T>(accept: (message: unknown) => message is T): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (message: unknown): void => {
        if (!accept(message)) return;
        this.#child.off('message', onMessage);
        resolve(message);
      };
      this.#child.on('message', onMessage);
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.#child.kill(signal);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGKILL', graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.#child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    try {
      // A stopped process does not act on SIGTERM; it must run again to exit.
      this.#child.kill('SIGCONT');
      if ((await Promise.race([this.exited, late])) === 'late') {
        this.#child.kill('SIGKILL');
        await this.exited;
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
