import { usageQuerySchema } from '@stratus/contracts';
import type { UsageQuery } from '@stratus/contracts';
import { StratusError } from '@stratus/errors';

/**
 * Validates an untrusted usage query. Like the gRPC request it comes from,
 * an empty function name and zero times mean "unbounded".
 */
export function parseUsageQuery(value: unknown): UsageQuery {
  const parsed = usageQuerySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? 'query' : issue.path.join('.');
    throw new StratusError('INVALID_ARGUMENT', `${path}: ${issue?.message ?? 'invalid usage query'}`, {
      details: { field: path },
    });
  }
  const { startTimeMs, endTimeMs } = parsed.data;
  if (startTimeMs !== undefined && endTimeMs !== undefined && endTimeMs > 0 && endTimeMs < startTimeMs) {
    throw new StratusError('INVALID_ARGUMENT', 'endTimeMs is before startTimeMs', { details: { field: 'endTimeMs' } });
  }
  return parsed.data;
}
