import { spawn, type ChildProcess } from 'node:child_process';
import { StratusError } from '@stratus/errors';
import type { OutputTail } from './output-tail.js';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (ENOENT, EACCES). */
  readonly spawnError?: Error;
}

/**
 * Resolves once the child has exited or failed to spawn. 'exit' is not
 * emitted when spawning fails, so 'error' has to end the wait as well.
 */
export function exitOf(child: ChildProcess): Promise<ExitStatus> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: err });
    });
  });
}

export function describeExit(status: ExitStatus): string {
  if (status.spawnError) return `could not be started: ${status.spawnError.message}`;
  if (status.signal) return `was killed by ${status.signal}`;
  return `exited with code ${status.code ?? 'unknown'}`;
}

export interface StopProcessOptions {
  /** Default 'SIGTERM'. */
  readonly signal?: NodeJS.Signals;
  /** How long to wait after `signal` before SIGKILL. */
  readonly graceMs: number;
}

/** Sends `signal`, waits up to `graceMs` for the exit, then SIGKILLs and waits again. */
export async function stopProcess(
  child: ChildProcess,
  exited: Promise<ExitStatus>,
  options: StopProcessOptions,
): Promise<ExitStatus> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return exited;
  child.kill(options.signal ?? 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.graceMs);
  });
  try {
    const first = await Promise.race([exited, timedOut]);
    if (first !== 'timeout') return first;
  } finally {
    clearTimeout(timer);
  }
  child.kill('SIGKILL');
  return exited;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** UNAVAILABLE, with the last lines the process wrote appended to the message. */
export function failureWithOutput(message: string, output: OutputTail, lines = 30): StratusError {
  const tail = output.lastLines(lines);
  return new StratusError('UNAVAILABLE', tail ? `${message}:\n${tail}` : message);
}

/** See {@link guardAgainstOrphaning}. */
export interface OrphanGuard {
  /** The owner stops the process itself from here on; the guard goes away. */
  release(): void;
}

/**
 * Children spawned `detached` (so a terminal's Ctrl-C reaches only the
 * launcher, which then stops them in order) would outlive a launcher that is
 * killed outright. This guard is a shell blocked reading a pipe from us: when
 * we die the pipe closes, the read returns, and it sends SIGTERM to `pid`.
 * Services do not need it: they exit when their IPC channel disconnects.
 */
export function guardAgainstOrphaning(pid: number): OrphanGuard {
  const guard = spawn('/bin/sh', ['-c', 'read _; kill -TERM "$1" 2>/dev/null', 'stratus-orphan-guard', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  guard.on('error', () => {});
  guard.stdin?.on('error', () => {});
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Killed before its pipe closes, so it never sends its SIGTERM.
      guard.kill('SIGKILL');
      guard.stdin?.destroy();
    },
  };
}
