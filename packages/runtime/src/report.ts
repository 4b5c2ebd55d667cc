import { createHash } from 'node:crypto';
import { BOOTSTRAP_SOURCE, RUNTIME_MODULE_SOURCE } from './isolate-runtime.js';

export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedMs: number;
  readonly memoryMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start whose init succeeded. */
  readonly initDurationMs?: number;
  /** Lambda adds "Status: timeout" or "Status: error / Error Type" when the runtime did not finish normally. */
  readonly status?: 'timeout' | 'error';
  readonly errorType?: string;
}

/**
 * Lambda's REPORT line, without a trailing newline: each measured field
 * ends in a tab, as Lambda writes them, and a status closes the line.
 */
export function reportLine(fields: ReportFields): string {
  let line =
    `REPORT RequestId: ${fields.requestId}\tDuration: ${fields.durationMs.toFixed(2)} ms\tBilled Duration: ${fields.billedMs} ms\t` +
    `Memory Size: ${fields.memoryMb} MB\tMax Memory Used: ${fields.maxMemoryUsedMb} MB\t`;
  if (fields.initDurationMs !== undefined) line += `Init Duration: ${fields.initDurationMs.toFixed(2)} ms\t`;
  if (fields.status !== undefined) {
    line += `Status: ${fields.status}`;
    if (fields.errorType !== undefined) line += `\tError Type: ${fields.errorType}`;
  }
  return line;
}

/**
 * What Lambda reports as a failure's "Error Type" in INIT_REPORT and REPORT:
 * the runtime's error type when it names a Runtime.* or Function.* error,
 * else Runtime.Unknown (Function.Unknown for a malformed Function.* one), as
 * Lambda's runtime interface emulator (fatalerror) does with what the runtime posts.
 */
export function platformErrorType(errorType: string): string {
  if (/(Runtime|Function)\.[A-Z][a-zA-Z]+/.test(errorType)) return errorType;
  return errorType.startsWith('Function.') ? 'Function.Unknown' : 'Runtime.Unknown';
}

/** Lambda numbers its runtime builds; Stratus's number is the Node.js minor version its isolates run on. */
export const RUNTIME_VERSION = `nodejs:20.v${process.versions.node.split('.')[1] ?? '0'}`;

let runtimeHash: string | undefined;

/**
 * Lambda's runtime version ARN names one build of the runtime; Stratus's
 * names the code its isolates evaluate (the bootstrap and runtime module)
 * and the Node.js version, so it changes exactly when the runtime does.
 */
export function runtimeVersionArn(region: string): string {
  runtimeHash ??= createHash('sha256').update(process.versions.node).update(BOOTSTRAP_SOURCE).update(RUNTIME_MODULE_SOURCE).digest('hex');
  return `arn:aws:lambda:${region}::runtime:${runtimeHash}`;
}

/** INIT_START, without a trailing newline. */
export function initStartLine(region: string): string {
  return `INIT_START Runtime Version: ${RUNTIME_VERSION}\tRuntime Version ARN: ${runtimeVersionArn(region)}`;
}

/** INIT_REPORT for an init that failed or timed out (a successful one is reported by the first REPORT's Init Duration). */
export function initReportLine(durationMs: number, status: 'timeout' | 'error', errorType: string | undefined): string {
  const line = `INIT_REPORT Init Duration: ${durationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}`;
  return status === 'error' && errorType !== undefined ? `${line}\tError Type: ${errorType}` : line;
}
