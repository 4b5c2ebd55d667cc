export { createExecutionEnvironment } from './execution-environment.js';
export type { ExecutionEnvironment, InvocationOutcome, InvocationRequest } from './execution-environment.js';
export type { ExecutionEnvironmentOptions, LogFormat } from './options.js';
export type { LambdaErrorObject } from './lambda-error.js';
export { createIsolateGate } from './isolate-gate.js';
export type { GatePriority, GateTicket, IsolateGate, IsolateGateOptions } from './isolate-gate.js';
export { createShellPool } from './shell-pool.js';
export type { ShellPool, ShellPoolOptions } from './shell-pool.js';
