import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { defaultLogGroup, functionArn, type FunctionUrlConfig, type LoggingSettingsInput, type StoredFunction } from '@stratus/contracts';
import { qualifiedFunctionArn } from '@stratus/contracts';
import type { VersionedAlias, VersionedFunction } from '@stratus/registry';

/** The region Stratus names in ARNs (`functionArn`'s default); clients may sign for any region. */
const ARN_REGION = 'local';

/** Lambda's `FunctionConfiguration`, as its REST API returns it. */
export function functionConfiguration({ fn, revision }: VersionedFunction): Record<string, unknown> {
  return {
    FunctionName: fn.name,
    FunctionArn: fn.version === '$LATEST' ? functionArn(fn.name, ARN_REGION) : qualifiedFunctionArn(fn.name, fn.version, ARN_REGION),
    Runtime: fn.runtime,
    Handler: fn.handler,
    CodeSize: fn.packageSize ?? fn.codeSize,
    Description: fn.description,
    Timeout: fn.timeoutSec,
    MemorySize: fn.memoryMb,
    LastModified: lambdaTimestamp(fn.lastModified),
    CodeSha256: lambdaCodeSha256(fn),
    Version: fn.version,
    ...(Object.keys(fn.environment).length > 0 ? { Environment: { Variables: { ...fn.environment } } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: String(revision),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: fn.ephemeralStorageMb },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: {
      LogFormat: fn.logging.logFormat,
      ...(fn.logging.applicationLogLevel !== undefined ? { ApplicationLogLevel: fn.logging.applicationLogLevel } : {}),
      ...(fn.logging.systemLogLevel !== undefined ? { SystemLogLevel: fn.logging.systemLogLevel } : {}),
      LogGroup: fn.logging.logGroup ?? defaultLogGroup(fn.name),
    },
  };
}

/**
 * Lambda's CodeSha256: the base64 SHA-256 of the zip as uploaded, stable for the same zip (SAM and Terraform
 * compare it with their own). A function deployed before Stratus kept the zip's hash reports its bundle's.
 */
export function lambdaCodeSha256(fn: StoredFunction): string {
  return fn.packageSha256 ?? Buffer.from(fn.codeSha256, 'hex').toString('base64');
}

/** `2024-01-02T03:04:05.678+0000`, Lambda's LastModified. */
function lambdaTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace('Z', '+0000');
}

/** GetFunction's answer: the configuration, where the code is (nowhere a client can fetch it), reserved concurrency. */
export function getFunctionResponse(versioned: VersionedFunction): Record<string, unknown> {
  const fn: StoredFunction = versioned.fn;
  return {
    Configuration: functionConfiguration(versioned),
    Code: { RepositoryType: 'S3' },
    ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
    ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const lambdaEnvironment = z.object({ Variables: z.record(z.string(), z.string()).optional() }).strict();
const ephemeralStorage = z.object({ Size: z.number().int() }).strict();
const tags = z.record(z.string(), z.string());
/** Lambda's LoggingConfig as sent; the stored schema checks the values and names the field. */
const loggingConfig = z
  .object({
    LogFormat: z.string().optional(),
    ApplicationLogLevel: z.string().optional(),
    SystemLogLevel: z.string().optional(),
    LogGroup: z.string().optional(),
  })
  .strict();
export type LambdaLoggingConfig = z.infer<typeof loggingConfig>;

/**
 * Lambda's LoggingConfig over the current setting: the fields given replace the current ones; with Text, the
 * levels (JSON only) go, as Lambda drops them.
 */
export function loggingFrom(given: LambdaLoggingConfig, current: StoredFunction['logging'] | undefined): LoggingSettingsInput {
  const logFormat = (given.LogFormat ?? current?.logFormat ?? 'Text') as LoggingSettingsInput['logFormat'];
  const applicationLogLevel = given.ApplicationLogLevel ?? current?.applicationLogLevel;
  const systemLogLevel = given.SystemLogLevel ?? current?.systemLogLevel;
  const logGroup = given.LogGroup ?? current?.logGroup;
  const json = logFormat === 'JSON';
  return {
    logFormat,
    ...(applicationLogLevel !== undefined && (json || given.ApplicationLogLevel !== undefined) ? { applicationLogLevel: applicationLogLevel as never } : {}),
    ...(systemLogLevel !== undefined && (json || given.SystemLogLevel !== undefined) ? { systemLogLevel: systemLogLevel as never } : {}),
    ...(logGroup !== undefined ? { logGroup } : {}),
  };
}

/** Stratus runs x86_64-only Node.js in isolates; the field is accepted when it asks for that. */
const architectures = z.array(z.literal('x86_64', { error: 'Stratus runs x86_64 only' })).max(1).optional();

export const createFunctionBody = z
  .object({
    FunctionName: z.string(),
    Runtime: z.string().optional(),
    Role: z.string().optional(),
    Handler: z.string().optional(),
    Description: z.string().optional(),
    Timeout: z.number().int().optional(),
    MemorySize: z.number().int().optional(),
    Environment: lambdaEnvironment.optional(),
    Code: z.object({ ZipFile: z.string({ error: 'Stratus takes code as Code.ZipFile (base64 of a zip) only' }).regex(BASE64, 'must be base64') }).strict(),
    Publish: z.boolean().optional(),
    Tags: tags.optional(),
    LoggingConfig: loggingConfig.optional(),
    EphemeralStorage: ephemeralStorage.optional(),
    PackageType: z.literal('Zip', { error: 'Stratus runs Zip packages only' }).optional(),
    Architectures: architectures,
  })
  .strict();

export const updateFunctionCodeBody = z
  .object({
    ZipFile: z.string({ error: 'Stratus takes code as ZipFile (base64 of a zip) only' }).regex(BASE64, 'must be base64'),
    Publish: z.boolean().optional(),
    DryRun: z.literal(false, { error: 'Stratus has no dry-run code updates' }).optional(),
    RevisionId: z.string().optional(),
    Architectures: architectures,
  })
  .strict();

export const updateFunctionConfigurationBody = z
  .object({
    Runtime: z.string().optional(),
    Role: z.string().optional(),
    Handler: z.string().optional(),
    Description: z.string().optional(),
    Timeout: z.number().int().optional(),
    MemorySize: z.number().int().optional(),
    Environment: lambdaEnvironment.optional(),
    EphemeralStorage: ephemeralStorage.optional(),
    LoggingConfig: loggingConfig.optional(),
    RevisionId: z.string().optional(),
  })
  .strict();

export const tagResourceBody = z.object({ Tags: tags }).strict();

export const putFunctionConcurrencyBody = z.object({ ReservedConcurrentExecutions: z.number().int().min(0) }).strict();
export const putProvisionedConcurrencyBody = z.object({ ProvisionedConcurrentExecutions: z.number().int().min(1) }).strict();

/** Lambda's field names for the settings the catalog names its own way, so an error names the field the client sent. */
const FIELD_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/\bmemoryMb\b/g, 'MemorySize'],
  [/\btimeoutSec\b/g, 'Timeout'],
  [/\bephemeralStorageMb\b/g, 'EphemeralStorage.Size'],
  [/\bhandler\b:/g, 'Handler:'],
  [/\bruntime\b:/g, 'Runtime:'],
  [/\bdescription\b:/g, 'Description:'],
  [/\benvironment\b/g, 'Environment.Variables'],
  [/\bcode\.zipFile\b/g, 'Code.ZipFile'],
  [/\blogging\.logFormat\b/g, 'LoggingConfig.LogFormat'],
  [/\blogging\.applicationLogLevel\b/g, 'LoggingConfig.ApplicationLogLevel'],
  [/\blogging\.systemLogLevel\b/g, 'LoggingConfig.SystemLogLevel'],
  [/\blogging\.logGroup\b/g, 'LoggingConfig.LogGroup'],
  [/\btags\b(?=[.:])/g, 'Tags'],
];

/** An INVALID_ARGUMENT from the service layer, its field names as Lambda's. */
export function withLambdaFieldNames(err: unknown): unknown {
  if (!(err instanceof StratusError) || err.code !== 'INVALID_ARGUMENT') return err;
  let message = err.message;
  for (const [pattern, name] of FIELD_NAMES) message = message.replace(pattern, name);
  return message === err.message ? err : new StratusError(err.code, message, { details: err.details, cause: err });
}

/** Parses a JSON request body with `schema`; INVALID_ARGUMENT naming the first bad field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: Buffer, operation: string): z.output<S> {
  let json: unknown;
  try {
    json = body.byteLength === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new StratusError('INVALID_ARGUMENT', `${operation}: the request body is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  let message = issue?.message ?? 'is not valid';
  if (issue?.code === 'unrecognized_keys') message = `${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: not supported by Stratus's Lambda API`;
  throw new StratusError('INVALID_ARGUMENT', `${operation}: ${path === '' ? '' : `${path}: `}${message}`);
}

/** Base64 text to bytes, refusing what is not base64. */
export function decodeBase64(text: string, field: string): Buffer {
  if (!BASE64.test(text) || text.length % 4 === 1) throw new StratusError('INVALID_ARGUMENT', `${field}: must be base64`);
  return Buffer.from(text, 'base64');
}

const lambdaCors = z
  .object({
    AllowCredentials: z.boolean().optional(),
    AllowHeaders: z.array(z.string()).optional(),
    AllowMethods: z.array(z.string()).optional(),
    AllowOrigins: z.array(z.string()).optional(),
    ExposeHeaders: z.array(z.string()).optional(),
    MaxAge: z.number().int().optional(),
  })
  .strict();

export const functionUrlConfigBody = z
  .object({
    AuthType: z.enum(['NONE', 'AWS_IAM'], { error: 'must be NONE or AWS_IAM (a Stratus API key, SigV4-signed)' }).optional(),
    Cors: lambdaCors.optional(),
    InvokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM'], { error: 'must be BUFFERED or RESPONSE_STREAM' }).optional(),
  })
  .strict();

/** Lambda's Cors shape to the stored one (validated there). */
export function corsFrom(cors: z.infer<typeof lambdaCors> | undefined): FunctionUrlConfig['cors'] {
  if (cors === undefined) return undefined;
  return {
    ...(cors.AllowCredentials !== undefined ? { allowCredentials: cors.AllowCredentials } : {}),
    ...(cors.AllowHeaders !== undefined ? { allowHeaders: cors.AllowHeaders } : {}),
    ...(cors.AllowMethods !== undefined ? { allowMethods: cors.AllowMethods } : {}),
    ...(cors.AllowOrigins !== undefined ? { allowOrigins: cors.AllowOrigins } : {}),
    ...(cors.ExposeHeaders !== undefined ? { exposeHeaders: cors.ExposeHeaders } : {}),
    ...(cors.MaxAge !== undefined ? { maxAge: cors.MaxAge } : {}),
  };
}

const routingConfig = z.object({ AdditionalVersionWeights: z.record(z.string(), z.number()).optional() }).strict();

export const publishVersionBody = z
  .object({ Description: z.string().optional(), CodeSha256: z.string().optional(), RevisionId: z.string().regex(/^\d+$/, 'must be a RevisionId this API gave').optional() })
  .strict();

export const aliasBody = z
  .object({ Name: z.string(), FunctionVersion: z.string(), Description: z.string().optional(), RoutingConfig: routingConfig.optional() })
  .strict();

export const updateAliasBody = z
  .object({ FunctionVersion: z.string().optional(), Description: z.string().optional(), RoutingConfig: routingConfig.optional(), RevisionId: z.string().optional() })
  .strict();

/** Lambda's AliasConfiguration. */
export function aliasConfiguration({ alias, revision }: VersionedAlias): Record<string, unknown> {
  const weights = alias.additionalVersionWeights;
  return {
    AliasArn: qualifiedFunctionArn(alias.functionName, alias.name, ARN_REGION),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(Object.keys(weights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: { ...weights } } } : {}),
    RevisionId: String(revision),
  };
}
