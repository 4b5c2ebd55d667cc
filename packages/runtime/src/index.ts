export { createExecutionEnvironment } from './execution-environment.js';
export type { ExecutionEnvironment, InvocationOutcome, InvocationRequest } from './execution-environment.js';
export type { ExecutionEnvironmentOptions, LogFormat } from './options.js';
export type { LambdaErrorObject } from './lambda-error.js';
