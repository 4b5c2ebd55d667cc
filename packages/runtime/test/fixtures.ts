import { afterEach } from 'vitest';
import { createExecutionEnvironment } from '../src/index.js';
import type { ExecutionEnvironment, ExecutionEnvironmentOptions, InvocationOutcome } from '../src/index.js';

export const BASE_OPTIONS = {
  handler: 'index.handler',
  functionName: 'test-fn',
  functionVersion: '$LATEST',
  memoryMb: 128,
  timeoutMs: 3000,
  environment: { GREETING: 'hello' },
} as const;

/**
 * Creates environments for one test and disposes all of them after it, even
 * when an assertion fails.
 */
export function useEnvironments(): (script: string, overrides?: Partial<ExecutionEnvironmentOptions>) => Promise<ExecutionEnvironment> {
  const created: ExecutionEnvironment[] = [];
  afterEach(() => {
    for (const env of created.splice(0)) env.dispose();
  });
  return async (script, overrides = {}) => {
    const env = await createExecutionEnvironment({ ...BASE_OPTIONS, script, ...overrides });
    created.push(env);
    return env;
  };
}

let requests = 0;
export function invoke(env: ExecutionEnvironment, event: unknown = {}, tailLogs = false): Promise<InvocationOutcome> {
  requests += 1;
  return env.invoke({ requestId: `req-${requests}`, eventJson: JSON.stringify(event), tailLogs });
}

export function parsed(outcome: InvocationOutcome): unknown {
  return JSON.parse(outcome.resultJson);
}

/** The console lines of an invocation's log: [level, message] pairs. */
export function consoleLines(outcome: InvocationOutcome): Array<[string, string]> {
  return outcome.logs
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((parts) => parts.length >= 4 && /^\d{4}-\d\d-\d\dT/.test(parts[0] ?? ''))
    .map((parts) => [parts[2] ?? '', parts.slice(3).join('\t')]);
}
