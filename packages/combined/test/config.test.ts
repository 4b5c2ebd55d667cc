import { describe, expect, it } from 'vitest';
import { combinedConfig } from '../src/config.js';

const localChoice = (env: Record<string, string>) => {
  const { maxLocalWaitMs, maxQueuedWaitMs } = combinedConfig.parse(env);
  return { maxLocalWaitMs, maxQueuedWaitMs };
};

describe("the combined role's bounds on keeping a call in-process", () => {
  it("default to placement's, 20 and 500 ms", () => {
    expect(localChoice({})).toEqual({ maxLocalWaitMs: 20, maxQueuedWaitMs: 500 });
  });

  it('are set by STRATUS_LOCAL_MAX_WAIT_MS and STRATUS_LOCAL_MAX_QUEUED_WAIT_MS, 0 included', () => {
    expect(localChoice({ STRATUS_LOCAL_MAX_WAIT_MS: '2', STRATUS_LOCAL_MAX_QUEUED_WAIT_MS: '50' })).toEqual({ maxLocalWaitMs: 2, maxQueuedWaitMs: 50 });
    expect(localChoice({ STRATUS_LOCAL_MAX_WAIT_MS: '0', STRATUS_LOCAL_MAX_QUEUED_WAIT_MS: '0' })).toEqual({ maxLocalWaitMs: 0, maxQueuedWaitMs: 0 });
  });

  it('take STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES, default half a core, 0 included, and refuse what is not a whole number of millicores, naming it', () => {
    expect(combinedConfig.parse({}).spreadMinIdleMillicores).toBe(500);
    expect(combinedConfig.parse({ STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES: '0' }).spreadMinIdleMillicores).toBe(0);
    expect(combinedConfig.parse({ STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES: '1500' }).spreadMinIdleMillicores).toBe(1500);
    for (const value of ['-1', '0.5', 'half', '1000001']) {
      expect(() => combinedConfig.parse({ STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES: value }), value).toThrow(
        new RegExp(`STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES="${value.replace('.', '\\.')}" is not valid`),
      );
    }
  });

  it('refuses a value that is not a whole number of ms from 0 to 1000, naming the variable', () => {
    for (const [variable, value] of [
      ['STRATUS_LOCAL_MAX_WAIT_MS', '-1'],
      ['STRATUS_LOCAL_MAX_WAIT_MS', '1001'],
      ['STRATUS_LOCAL_MAX_QUEUED_WAIT_MS', '2.5'],
      ['STRATUS_LOCAL_MAX_QUEUED_WAIT_MS', 'soon'],
    ] as const) {
      expect(() => combinedConfig.parse({ [variable]: value }), `${variable}=${value}`).toThrow(new RegExp(`${variable}="${value.replace('.', '\\.')}" is not valid`));
    }
  });

  it('refuses a bound for long queues below the other, naming both', () => {
    expect(() => localChoice({ STRATUS_LOCAL_MAX_WAIT_MS: '600' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('STRATUS_LOCAL_MAX_QUEUED_WAIT_MS=500 is below STRATUS_LOCAL_MAX_WAIT_MS=600'),
        details: { STRATUS_LOCAL_MAX_QUEUED_WAIT_MS: '', STRATUS_LOCAL_MAX_WAIT_MS: '600' },
      }),
    );
    expect(() => localChoice({ STRATUS_LOCAL_MAX_WAIT_MS: '500' })).not.toThrow();
  });
});
