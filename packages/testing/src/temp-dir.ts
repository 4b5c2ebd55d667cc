import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory `<os tmpdir>/stratus-test-XXXXXX`. */
export function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'stratus-test-'));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
