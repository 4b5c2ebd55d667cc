import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { DEFAULT_EGRESS, egressSettingsSchema } from './egress.js';
import { ASYNC_LIMITS, eventInvokeConfigSchema, qualifiedEventInvokeConfigSchema, type EventInvokeConfig } from './async-config.js';
import { DEFAULT_LOGGING, loggingSettingsSchema, tagsSchema } from './logging-config.js';
import { DEFAULT_HANDLER, LATEST_VERSION, LIMITS, RUNTIME_NODEJS20 } from './limits.js';
import { functionUrlConfigSchema } from './function-url.js';
import { qualifiedPolicySchema } from './resource-policy.js';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]+$/;
const HANDLER = /^[^\s]+$/;
const ENV_KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/;
/**
 * Lambda reserves these; a function may not set them. Stratus: the credential variables
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which Lambda fills from the
 * execution role, are the function's own to set, since Stratus has no role to fill them from and
 * the AWS SDK reads its credentials there.
 */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

/**
 * Refuses an environment that sets a reserved variable, with Lambda's exact
 * message (InvalidParameterValueException), so tools that match on it work.
 */
export function assertNoReservedEnvironment(environment: Readonly<Record<string, string>> | undefined): void {
  const reserved = Object.keys(environment ?? {}).filter((key) => RESERVED_ENV_KEYS.has(key));
  if (reserved.length === 0) return;
  throw new StratusError(
    'INVALID_ARGUMENT',
    'Lambda was unable to configure your environment variables because the environment variables you have provided contains ' +
      `reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
  );
}

export const functionNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.functionNameMaxLength, `must be at most ${LIMITS.functionNameMaxLength} characters`)
  .regex(FUNCTION_NAME, 'may contain only letters, digits, hyphens and underscores');

export const environmentSchema = z
  .record(z.string(), z.string())
  .superRefine((env, ctx) => {
    let bytes = 0;
    for (const [key, value] of Object.entries(env)) {
      bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
      if (!ENV_KEY.test(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must start with a letter and contain only letters, digits and underscores' });
      } else if (RESERVED_ENV_KEYS.has(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is reserved by the runtime' });
      }
    }
    if (bytes > LIMITS.environmentMaxBytes) {
      ctx.addIssue({ code: 'custom', message: `variables total ${bytes} bytes; the limit is ${LIMITS.environmentMaxBytes}` });
    }
  });

/** The user-settable configuration of a function, with Lambda's defaults. */
export const functionSettingsSchema = z.object({
  handler: z.string().regex(HANDLER, 'must be "file.export" without spaces').max(128).default(DEFAULT_HANDLER),
  memoryMb: z
    .number()
    .int()
    .min(LIMITS.memoryMinMb, `must be at least ${LIMITS.memoryMinMb} MB`)
    .max(LIMITS.memoryMaxMb, `must be at most ${LIMITS.memoryMaxMb} MB`)
    .default(LIMITS.memoryDefaultMb),
  timeoutSec: z
    .number()
    .int()
    .min(LIMITS.timeoutMinSec, `must be at least ${LIMITS.timeoutMinSec} second`)
    .max(LIMITS.timeoutMaxSec, `must be at most ${LIMITS.timeoutMaxSec} seconds`)
    .default(LIMITS.timeoutDefaultSec),
  environment: environmentSchema.default({}),
  /** Bytes /tmp may hold (Lambda's EphemeralStorage). It lives in the isolate's memory, so it also counts against memoryMb. */
  ephemeralStorageMb: z
    .number()
    .int()
    .min(LIMITS.ephemeralStorageMinMb, `must be at least ${LIMITS.ephemeralStorageMinMb} MB`)
    .max(LIMITS.ephemeralStorageMaxMb, `must be at most ${LIMITS.ephemeralStorageMaxMb} MB`)
    .default(LIMITS.ephemeralStorageDefaultMb),
  description: z.string().max(256, 'must be at most 256 characters').default(''),
  /** Lambda's LoggingConfig: Text or JSON logs, JSON's level filters, the log group name (see `logging-config.ts`). */
  logging: loggingSettingsSchema.default(DEFAULT_LOGGING),
  /** Lambda's tags: labels for people and tools; nothing in the runtime reads them. */
  tags: tagsSchema.default({}),
  /** Outbound network access: public addresses by default (see `egress.ts`). */
  egress: egressSettingsSchema.default(DEFAULT_EGRESS),
  runtime: z.literal(RUNTIME_NODEJS20, { error: `the only runtime is ${RUNTIME_NODEJS20}` }).default(RUNTIME_NODEJS20),
});
export type FunctionSettings = z.infer<typeof functionSettingsSchema>;
export type FunctionSettingsInput = z.input<typeof functionSettingsSchema>;

/** A function as stored in etcd: its settings plus where its code is. */
export const storedFunctionSchema = functionSettingsSchema.extend({
  name: functionNameSchema,
  version: z.string().default(LATEST_VERSION),
  /** Hex SHA-256 of the bundle; the object-store key. */
  codeSha256: z.string().regex(/^[0-9a-f]{64}$/),
  codeSize: z.number().int().nonnegative(),
  /**
   * Base64 SHA-256 of the zip the user uploaded: Lambda's CodeSha256, which SAM and Terraform compare with the
   * hash of their own zip to tell whether code changed. Absent for functions deployed before it was kept.
   */
  packageSha256: z.string().regex(/^[A-Za-z0-9+/]{43}=$/).optional(),
  /** Bytes of the uploaded zip: Lambda's CodeSize. Absent with packageSha256. */
  packageSize: z.number().int().nonnegative().optional(),
  lastModified: z.string(),
  /**
   * Reserved concurrency (Lambda's PutFunctionConcurrency): both a guarantee
   * and a cap on the function's concurrent executions; 0 disables it.
   * Absent means the function draws on the account's unreserved pool.
   */
  reservedConcurrency: z.number().int().nonnegative().optional(),
  /**
   * Provisioned concurrency: environments kept initialised across the nodes
   * whether or not calls arrive; calls beyond it run on demand.
   */
  provisionedConcurrency: z.number().int().positive().optional(),
  /** How asynchronous invocations are retried, aged and reported (Lambda's FunctionEventInvokeConfig); absent means Lambda's defaults. */
  eventInvokeConfig: eventInvokeConfigSchema.optional(),
  /**
   * The configurations of the function's aliases and versions, each applying only to events that name that
   * qualifier (Lambda's rule: no fallback to the function's own). Absent when there are none.
   */
  qualifiedEventInvokeConfigs: z.array(qualifiedEventInvokeConfigSchema).max(ASYNC_LIMITS.qualifiedConfigsMax).optional(),
  /** The function's URL (Lambda's function URL config); absent when it has none. */
  url: functionUrlConfigSchema.optional(),
  /** The URLs of the function's aliases (Lambda's function URL config with a Qualifier), by alias name. */
  aliasUrls: z.record(z.string(), functionUrlConfigSchema).optional(),
  /** Lambda's resource-based policies (AddPermission), the function's own and its aliases' and versions'; absent when there are none. */
  policies: z.array(qualifiedPolicySchema).optional(),
});
export type StoredFunction = z.infer<typeof storedFunctionSchema>;

/**
 * The event-invoke configuration an event naming `qualifier` runs under: the function's own for none or
 * `$LATEST`, else that alias's or version's; undefined when it has none (the event gets Lambda's defaults).
 */
export function eventInvokeConfigFor(fn: StoredFunction, qualifier: string): EventInvokeConfig | undefined {
  if (qualifier === '' || qualifier === LATEST_VERSION) return fn.eventInvokeConfig;
  const found = fn.qualifiedEventInvokeConfigs?.find((config) => config.qualifier === qualifier);
  if (found === undefined) return undefined;
  const { qualifier: _qualifier, ...config } = found;
  return config;
}

/**
 * Validates input with a schema and turns the first problem into an
 * INVALID_ARGUMENT error that names the field, e.g. `memoryMb: must be at least 128 MB`.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new StratusError('INVALID_ARGUMENT', `invalid ${what}: ${issues.join('; ')}`);
}

export function parseFunctionName(value: unknown): string {
  return parseOrThrow(functionNameSchema, value, 'function name');
}

/** Lambda-style ARN, so tools that expect one get a stable, well-formed value. */
export function functionArn(name: string, region = 'local', account = '000000000000'): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}
