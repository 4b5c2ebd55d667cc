import type { Logger } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';

/** Who wrote a line: the service, and the node id for worker nodes. */
export interface ChildSource {
  readonly service: string;
  readonly nodeId?: string;
  /** Which one, for a service that runs more than once without a node id (the second frontend is 'frontend-2'). */
  readonly instance?: string;
}

/** Where the services' output lines go. */
export interface ChildLogSink {
  line(source: ChildSource, stream: 'stdout' | 'stderr', line: string): void;
}

export interface ChildLogSinkOptions {
  readonly log: Logger;
  /** Format lines with pino-pretty and write them to `destination` instead of re-emitting them through `log`. */
  readonly pretty: boolean;
  readonly destination: NodeJS.WritableStream;
}

const LEVEL_METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
type LevelMethod = (typeof LEVEL_METHODS)[number];

/** Fields pino adds itself; the parent logger adds its own. */
const PINO_OWN_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/**
 * Services log JSON lines (pino) on stdout. Each line is re-emitted through
 * the parent logger with the service bound, so one stream carries the whole
 * cluster's logs at the parent's level; or, for people, formatted by
 * pino-pretty. Lines that are not JSON (a crash's stack trace, a Node
 * warning) are passed on as they are.
 */
export function createChildLogSink(options: ChildLogSinkOptions): ChildLogSink {
  return options.pretty ? prettySink(options.destination) : reemittingSink(options.log);
}

function reemittingSink(log: Logger): ChildLogSink {
  const children = new Map<string, Logger>();
  const loggerFor = (source: ChildSource): Logger => {
    const key = `${source.service}/${source.nodeId ?? ''}/${source.instance ?? ''}`;
    let child = children.get(key);
    if (child === undefined) {
      child = log.child({
        service: source.service,
        ...(source.nodeId === undefined ? {} : { nodeId: source.nodeId }),
        ...(source.instance === undefined ? {} : { instance: source.instance }),
      });
      children.set(key, child);
    }
    return child;
  };
  return {
    line(source, stream, line) {
      const child = loggerFor(source);
      const record = parseRecord(line);
      if (record === undefined) {
        child[stream === 'stderr' ? 'warn' : 'info']({ stream }, line);
        return;
      }
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) if (!PINO_OWN_FIELDS.has(key)) fields[key] = value;
      const message = typeof record['msg'] === 'string' ? record['msg'] : '';
      child[levelMethod(log, record['level'])](fields, message);
    },
  };
}

function prettySink(destination: NodeJS.WritableStream): ChildLogSink {
  const colorize = isColorSupported && (destination as { isTTY?: boolean }).isTTY === true;
  const format = prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,component,service,type', singleLine: true });
  return {
    line(source, _stream, line) {
      const name = source.nodeId ?? source.instance ?? source.service;
      const record = parseRecord(line);
      if (record === undefined) {
        destination.write(`[${name}] ${line}\n`);
        return;
      }
      // pino-pretty shows `name` next to the level, which tells the services apart.
      destination.write(format(record['name'] === undefined ? { ...record, name } : record));
    },
  };
}

function parseRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function levelMethod(log: Logger, level: unknown): LevelMethod {
  const label = typeof level === 'number' ? log.levels.labels[level] : level;
  return LEVEL_METHODS.find((method) => method === label) ?? 'info';
}
