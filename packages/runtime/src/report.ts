import { createHash } from 'node:crypto';
import { BOOTSTRAP_SOURCE, RUNTIME_MODULE_SOURCE } from './isolate-runtime.js';

export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedMs: number;
  readonly memoryMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start whose init succeeded. */
  readonly initDurationMs?: number | undefined;
  /** Lambda adds "Status: timeout" or "Status: error / Error Type" when the runtime did not finish normally. */
  readonly status?: 'timeout' | 'error' | undefined;
  readonly errorType?: string | undefined;
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

/**
 * The records of the platform events every invocation logs in Lambda's JSON
 * format, as JSON text: the bytes `JSON.stringify` gives for the record
 * object (keys in this order, optional ones absent when undefined), written
 * directly because stringifying the objects cost a call ~1.5 µs here.
 */
export function platformStartRecord(requestId: string, version: string): string {
  return `{"requestId":${jsonString(requestId)},"version":${jsonString(version)}}`;
}

/** platform.runtimeDone's record (see {@link platformStartRecord}). */
export function runtimeDoneRecord(requestId: string, status: string, errorType: string | undefined): string {
  const error = errorType === undefined ? '' : `,"errorType":${jsonString(errorType)}`;
  return `{"requestId":${jsonString(requestId)},"status":${jsonString(status)}${error}}`;
}

/** platform.report's record (see {@link platformStartRecord}); the durations as given (Lambda's are rounded to 2 decimals). */
export function platformReportRecord(fields: {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMB: number;
  readonly maxMemoryUsedMB: number;
  readonly initDurationMs: number | undefined;
  readonly status: string;
  readonly errorType: string | undefined;
}): string {
  const init = fields.initDurationMs === undefined ? '' : `,"initDurationMs":${jsonNumber(fields.initDurationMs)}`;
  const error = fields.errorType === undefined ? '' : `,"errorType":${jsonString(fields.errorType)}`;
  return (
    `{"requestId":${jsonString(fields.requestId)},"metrics":{"durationMs":${jsonNumber(fields.durationMs)},` +
    `"billedDurationMs":${jsonNumber(fields.billedDurationMs)},"memorySizeMB":${jsonNumber(fields.memorySizeMB)},` +
    `"maxMemoryUsedMB":${jsonNumber(fields.maxMemoryUsedMB)}${init}},"status":${jsonString(fields.status)}${error}}`
  );
}

/** Printable ASCII but `"` and `\\`: what JSON writes between quotes as it is. */
const JSON_PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string as JSON writes it; one without characters to escape (a request id, a version) skips the encoder (~0.1 µs here). */
export function jsonString(value: string): string {
  return JSON_PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** A number as JSON writes it: NaN and the infinities as null. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
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
