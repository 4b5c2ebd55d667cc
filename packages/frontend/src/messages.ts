import {
  LATEST_VERSION,
  defaultLogGroup,
  functionArn,
  qualifiedFunctionArn,
  type EgressSettingsInput,
  type FunctionSettingsInput,
  type LoggingSettings,
  type LoggingSettingsInput,
} from '@stratus/contracts';
import type { AliasConfigurationMessage, FunctionConfigurationMessage, UpdateFunctionRequestMessage, CreateFunctionRequestMessage } from '@stratus/contracts/grpc';
import type { VersionedAlias, VersionedFunction } from '@stratus/registry';

/** proto3 has no "unset" for scalars: zero and empty mean "use the default". */
export function settingsFromCreate(request: CreateFunctionRequestMessage): FunctionSettingsInput {
  return {
    ...(request.handler ? { handler: request.handler } : {}),
    ...(request.memorySizeMb ? { memoryMb: request.memorySizeMb } : {}),
    ...(request.timeoutSec ? { timeoutSec: request.timeoutSec } : {}),
    ...(request.ephemeralStorageMb ? { ephemeralStorageMb: request.ephemeralStorageMb } : {}),
    ...(request.runtime ? { runtime: request.runtime as 'nodejs20.x' } : {}),
    environment: request.environment,
    description: request.description,
    ...(request.egress ? { egress: egressFrom(request.egress) } : {}),
    ...(request.loggingConfig ? { logging: loggingFrom(request.loggingConfig) } : {}),
    tags: request.tags,
  };
}

/** proto3 strings have no "unset": empty means the default; the schema checks the values. */
function loggingFrom(logging: { logFormat: string; applicationLogLevel: string; systemLogLevel: string; logGroup: string }): LoggingSettingsInput {
  return {
    ...(logging.logFormat !== '' ? { logFormat: logging.logFormat as LoggingSettingsInput['logFormat'] } : {}),
    ...(logging.applicationLogLevel !== '' ? { applicationLogLevel: logging.applicationLogLevel as LoggingSettingsInput['applicationLogLevel'] } : {}),
    ...(logging.systemLogLevel !== '' ? { systemLogLevel: logging.systemLogLevel as LoggingSettingsInput['systemLogLevel'] } : {}),
    ...(logging.logGroup !== '' ? { logGroup: logging.logGroup } : {}),
  };
}

function loggingMessage(logging: LoggingSettings, functionName: string): {
  logFormat: string;
  applicationLogLevel: string;
  systemLogLevel: string;
  logGroup: string;
} {
  return {
    logFormat: logging.logFormat,
    applicationLogLevel: logging.applicationLogLevel ?? '',
    systemLogLevel: logging.systemLogLevel ?? '',
    logGroup: logging.logGroup ?? defaultLogGroup(functionName),
  };
}

/** proto3 strings have no "unset": an empty mode is the default, public. */
function egressFrom(egress: { mode: string; allow: string[] }): EgressSettingsInput {
  return { mode: (egress.mode === '' ? 'public' : egress.mode) as EgressSettingsInput['mode'], allow: egress.allow };
}

export function settingsFromUpdate(request: UpdateFunctionRequestMessage): Partial<FunctionSettingsInput> {
  return {
    ...(request.handler !== undefined ? { handler: request.handler } : {}),
    ...(request.memorySizeMb !== undefined ? { memoryMb: request.memorySizeMb } : {}),
    ...(request.timeoutSec !== undefined ? { timeoutSec: request.timeoutSec } : {}),
    ...(request.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: request.ephemeralStorageMb } : {}),
    ...(request.description !== undefined ? { description: request.description } : {}),
    ...(request.egress ? { egress: egressFrom(request.egress) } : {}),
    ...(request.loggingConfig ? { logging: loggingFrom(request.loggingConfig) } : {}),
    ...(request.replaceTags || Object.keys(request.tags).length > 0 ? { tags: request.tags } : {}),
    ...(request.replaceEnvironment || Object.keys(request.environment).length > 0 ? { environment: request.environment } : {}),
  };
}

/**
 * `warnings` are a deploy's (CreateFunction, UpdateFunction); reads have none.
 * A published version's ARN names it (`…:function:fn:3`), as Lambda's does;
 * `$LATEST`'s is unqualified unless `qualifyLatest` (Lambda qualifies it in version lists).
 */
export function toConfiguration({ fn, revision }: VersionedFunction, warnings: readonly string[] = [], qualifyLatest = false): FunctionConfigurationMessage {
  return {
    functionName: fn.name,
    functionArn: fn.version !== LATEST_VERSION || qualifyLatest ? qualifiedFunctionArn(fn.name, fn.version) : functionArn(fn.name),
    runtime: fn.runtime,
    handler: fn.handler,
    memorySizeMb: fn.memoryMb,
    timeoutSec: fn.timeoutSec,
    environment: fn.environment,
    description: fn.description,
    codeSha256: fn.codeSha256,
    codeSize: fn.codeSize,
    version: fn.version,
    lastModified: fn.lastModified,
    revision,
    hasReservedConcurrency: fn.reservedConcurrency !== undefined,
    reservedConcurrency: fn.reservedConcurrency ?? 0,
    deployWarnings: [...warnings],
    egress: { mode: fn.egress.mode, allow: [...fn.egress.allow] },
    ephemeralStorageMb: fn.ephemeralStorageMb,
    loggingConfig: loggingMessage(fn.logging, fn.name),
    tags: fn.tags,
  };
}

/** Lambda's AliasConfiguration; RevisionId is the alias's etcd revision, which every update changes. */
export function toAliasConfiguration({ alias, revision }: VersionedAlias): AliasConfigurationMessage {
  return {
    aliasArn: qualifiedFunctionArn(alias.functionName, alias.name),
    name: alias.name,
    functionVersion: alias.functionVersion,
    description: alias.description,
    routingConfig: { additionalVersionWeights: { ...alias.additionalVersionWeights } },
    revisionId: String(revision),
  };
}
