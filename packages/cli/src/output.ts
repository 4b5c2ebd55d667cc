import Table from 'cli-table3';
import { describeEgress } from '@stratus/contracts';
import type {
  AliasConfigurationMessage,
  AccountConcurrencyMessage,
  ApiKeyMessage,
  FunctionConfigurationMessage,
  FunctionUsageMessage,
  GetUsageResponseMessage,
  NodeStatusMessage,
} from '@stratus/contracts/grpc';
import type { InvokeResult } from '@stratus/client';

/** Pretty JSON with a trailing newline; bytes appear as base64 strings rather than Buffer dumps. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, jsonReplacer, 2)}\n`;
}

function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  // JSON.stringify calls Buffer#toJSON before the replacer, so look at the holder's own value.
  const raw = key === '' ? value : (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
  return value;
}

/** The invoke response for --json: the payload as the JSON value it holds, the log tail decoded as `log`. */
export function invokeJson(result: InvokeResult): Record<string, unknown> {
  const { payload: _payload, payloadText, logText, ...rest } = result;
  return { ...rest, payload: parseJsonOrText(payloadText), ...(logText ? { log: logText } : {}) };
}

function parseJsonOrText(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sortedPairs(map: Readonly<Record<string, string>>): string[] {
  return Object.entries(map)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
}

/** `JSON, application INFO, system INFO, group /aws/lambda/x`; from a server without the setting, nothing. */
function describeLoggingConfig(fn: FunctionConfigurationMessage): string {
  const logging = fn.loggingConfig;
  if (!logging || logging.logFormat === '') return '';
  const parts = [logging.logFormat];
  if (logging.applicationLogLevel !== '') parts.push(`application ${logging.applicationLogLevel}`);
  if (logging.systemLogLevel !== '') parts.push(`system ${logging.systemLogLevel}`);
  if (logging.logGroup !== '') parts.push(`group ${logging.logGroup}`);
  return parts.join(', ');
}

export function describeFunction(fn: FunctionConfigurationMessage): string {
  const env = Object.entries(fn.environment)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  return keyValues([
    ['name', fn.functionName],
    ['arn', fn.functionArn],
    ['runtime', fn.runtime],
    ['handler', fn.handler],
    ['memory', `${fn.memorySizeMb} MB`],
    ['timeout', `${fn.timeoutSec} s`],
    ['ephemeral storage', `${fn.ephemeralStorageMb} MB`],
    ['code sha256', fn.codeSha256],
    ['code size', formatBytes(fn.codeSize)],
    ['version', fn.version],
    ['revision', String(fn.revision)],
    ['last modified', fn.lastModified],
    ['description', fn.description],
    ['environment', env.join(' ')],
    ['egress', fn.egress ? describeEgress({ mode: fn.egress.mode === 'none' ? 'none' : 'public', allow: fn.egress.allow }) : 'public'],
    ['logging', describeLoggingConfig(fn)],
    ['tags', sortedPairs(fn.tags ?? {}).join(' ')],
  ]);
}

export function functionsTable(functions: readonly FunctionConfigurationMessage[]): string {
  return table(
    ['NAME', 'HANDLER', 'MEMORY', 'TIMEOUT', 'CODE SIZE', 'LAST MODIFIED'],
    functions.map((fn) => [fn.functionName, fn.handler, `${fn.memorySizeMb} MB`, `${fn.timeoutSec} s`, formatBytes(fn.codeSize), fn.lastModified]),
    ['left', 'left', 'right', 'right', 'right', 'left'],
  );
}

export function nodesTable(nodes: readonly NodeStatusMessage[]): string {
  return table(
    ['NODE', 'HOST', 'PID', 'STATE', 'MEMORY USED/BUDGET', 'IN-FLIGHT/MAX', 'WARM ISOLATES', 'ISOLATES BY FUNCTION (BUSY/IDLE)'],
    nodes.map((n) => [
      n.nodeId,
      n.host,
      String(n.pid),
      n.state,
      `${n.memoryUsedMb}/${n.memoryBudgetMb} MB`,
      `${n.inFlight}/${n.maxInFlight}`,
      String(n.warmIsolates),
      n.functions.map((f) => `${f.functionName} ${f.busy}/${f.idle}`).join(', ') || '-',
    ]),
    ['left', 'left', 'right', 'left', 'right', 'right', 'right', 'left'],
  );
}

/** Per-function usage with a total row; cost with 8 decimals, as prices per request are that small. */
export function usageTable(usage: GetUsageResponseMessage): string {
  const total = usage.total ?? sumUsage(usage.functions);
  const row = (name: string, u: FunctionUsageMessage): string[] => [
    name,
    String(u.requests),
    String(u.billedMs),
    u.gbSeconds.toFixed(6),
    u.costUsd.toFixed(8),
    u.requests === 0 ? '-' : `${((1 - u.coldStarts / u.requests) * 100).toFixed(1)}%`,
  ];
  return table(
    ['FUNCTION', 'REQUESTS', 'BILLED MS', 'GB-SECONDS', 'COST USD', 'WARM'],
    [...usage.functions.map((u) => row(u.functionName, u)), row('TOTAL', total)],
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
}

function sumUsage(functions: readonly FunctionUsageMessage[]): FunctionUsageMessage {
  const total: FunctionUsageMessage = { functionName: '', requests: 0, billedMs: 0, durationMs: 0, gbSeconds: 0, costUsd: 0, errors: 0, coldStarts: 0 };
  for (const u of functions) {
    total.requests += u.requests;
    total.billedMs += u.billedMs;
    total.durationMs += u.durationMs;
    total.gbSeconds += u.gbSeconds;
    total.costUsd += u.costUsd;
    total.errors += u.errors;
    total.coldStarts += u.coldStarts;
  }
  return total;
}

/** A function's versions: number, code, memory, description. */
export function versionsTable(versions: readonly FunctionConfigurationMessage[]): string {
  return table(
    ['VERSION', 'CODE SHA256', 'MEMORY', 'LAST MODIFIED', 'DESCRIPTION'],
    versions.map((v) => [v.version, v.codeSha256.slice(0, 12), `${v.memorySizeMb} MB`, v.lastModified, v.description]),
    ['left', 'left', 'right', 'left', 'left'],
  );
}

/** `2=0.1`: the additional version and its share of calls; empty without routing. */
function routingText(alias: AliasConfigurationMessage): string {
  return Object.entries(alias.routingConfig?.additionalVersionWeights ?? {})
    .map(([version, weight]) => `${version}=${weight}`)
    .join(' ');
}

export function describeAlias(alias: AliasConfigurationMessage): string {
  return keyValues([
    ['alias', alias.name],
    ['arn', alias.aliasArn],
    ['version', alias.functionVersion],
    ['routing', routingText(alias)],
    ['description', alias.description],
    ['revision', alias.revisionId],
  ]);
}

export function aliasesTable(aliases: readonly AliasConfigurationMessage[]): string {
  return table(
    ['ALIAS', 'VERSION', 'ROUTING', 'DESCRIPTION'],
    aliases.map((a) => [a.name, a.functionVersion, routingText(a), a.description]),
    ['left', 'left', 'left', 'left'],
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Aligned "key  value" lines; empty values are left out. */
export function keyValues(pairs: readonly (readonly [string, string])[]): string {
  const shown = pairs.filter(([, v]) => v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join('');
}

type Align = 'left' | 'right';

const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: '  ',
};

export function table(head: readonly string[], rows: readonly (readonly string[])[], aligns: readonly Align[]): string {
  const t = new Table({
    head: [...head],
    chars: BORDERLESS,
    colAligns: [...aligns],
    // No colours: output may go to a file or another program.
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) t.push([...row]);
  return `${t
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}

/** The account's concurrency: the limit, what is unreserved, and each function's reservation and use. */
export function concurrencyTable(account: AccountConcurrencyMessage): string {
  const summary = keyValues([
    ['account limit', String(account.concurrentExecutionsLimit)],
    ['unreserved', String(account.unreservedConcurrentExecutions)],
    ['in flight', String(account.inFlight)],
    ['frontends', String(account.frontends)],
  ]);
  if (account.functions.length === 0) return summary;
  return `${summary}\n${table(
    ['FUNCTION', 'RESERVED', 'IN-FLIGHT'],
    account.functions.map((f) => [f.functionName, f.hasReservation ? String(f.reservedConcurrentExecutions) : '-', String(f.inFlight)]),
    ['left', 'right', 'right'],
  )}`;
}

/** API keys, oldest first: ids, scopes, when made; never secrets. */
export function keysTable(keys: readonly ApiKeyMessage[]): string {
  return table(
    ['KEY ID', 'SCOPES', 'CREATED', 'DESCRIPTION'],
    keys.map((k) => [k.keyId, k.scopes.join(','), new Date(k.createdAtMs).toISOString(), k.description]),
    ['left', 'left', 'left', 'left'],
  );
}
