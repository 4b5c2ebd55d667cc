import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveApiKey } from '../src/index.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'stratus-key-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('resolveApiKey', () => {
  it('takes STRATUS_API_KEY first, then ./.stratus/admin.key, else none', async () => {
    expect(resolveApiKey({ env: {}, cwd })).toBeUndefined();
    await mkdir(join(cwd, '.stratus'));
    await writeFile(join(cwd, '.stratus', 'admin.key'), 'SKFILE.secret\n');
    expect(resolveApiKey({ env: {}, cwd })).toBe('SKFILE.secret');
    expect(resolveApiKey({ env: { STRATUS_API_KEY: ' SKENV.secret ' }, cwd })).toBe('SKENV.secret');
    expect(resolveApiKey({ env: { STRATUS_API_KEY: '' }, cwd })).toBe('SKFILE.secret');
  });
});
