/** Runs `fn` the first time and returns that same promise afterwards: idempotent stop(). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
