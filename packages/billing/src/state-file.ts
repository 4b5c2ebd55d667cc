import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { AggregateState } from './aggregate-store.js';

/** The one file in the data directory holding the aggregates and the last applied sequence. */
export const BILLING_STATE_FILE = 'billing-state.json';

const count = z.number().int().nonnegative();
const amount = z.number().nonnegative();

const stateSchema = z.object({
  formatVersion: z.literal(1),
  periodMs: z.number().int().positive(),
  lastAppliedSeq: count,
  streamCreated: z.string().optional(),
  buckets: z.array(
    z.object({
      functionName: z.string(),
      periodStartMs: z.number(),
      requests: count,
      billedMs: count,
      durationMs: amount,
      gbSeconds: amount,
      errors: count,
      coldStarts: count,
    }),
  ),
  publishers: z.array(z.object({ publisher: z.string(), sequence: count, storedAtMs: z.number() })).optional(),
});

export type StateFileRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'ok'; readonly state: AggregateState };

export async function readStateFile(path: string): Promise<StateFileRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { kind: 'unreadable', reason: err instanceof Error ? err.message : String(err) };
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'unreadable', reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  return { kind: 'ok', state: parsed.data };
}

/**
 * Replaces the file atomically: a crash leaves either the old state or the
 * new one, never a mix, so aggregates and sequence always agree. The
 * directory is synced too, or the rename itself could be lost.
 */
export async function writeStateFile(path: string, state: AggregateState): Promise<void> {
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(JSON.stringify(state));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
