/** JetStream API error codes the aggregator branches on. */
export const JS_ERR = {
  consumerNotFound: 10014,
  noMessageFound: 10037,
  streamNotFound: 10059,
} as const;

/** JetStream's own error code (`err_code`), read structurally so it survives duplicate copies of the nats package. */
export function jetStreamErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const apiError = (err as { api_error?: { err_code?: unknown } }).api_error;
  return typeof apiError?.err_code === 'number' ? apiError.err_code : undefined;
}
