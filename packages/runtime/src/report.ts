export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedMs: number;
  readonly memoryMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start. */
  readonly initDurationMs?: number;
  /** Lambda adds "Status: timeout" or "Status: error / Error Type" when the runtime did not finish normally. */
  readonly status?: 'timeout' | 'error';
  readonly errorType?: string;
}

/** Lambda's REPORT line, without a trailing newline. */
export function reportLine(fields: ReportFields): string {
  let line =
    `REPORT RequestId: ${fields.requestId}\tDuration: ${fields.durationMs.toFixed(2)} ms\tBilled Duration: ${fields.billedMs} ms` +
    `\tMemory Size: ${fields.memoryMb} MB\tMax Memory Used: ${fields.maxMemoryUsedMb} MB`;
  if (fields.initDurationMs !== undefined) line += `\tInit Duration: ${fields.initDurationMs.toFixed(2)} ms`;
  if (fields.status !== undefined) line += `\tStatus: ${fields.status}`;
  if (fields.errorType !== undefined) line += `\tError Type: ${fields.errorType}`;
  return line;
}
