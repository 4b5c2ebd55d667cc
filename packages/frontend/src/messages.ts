import { functionArn, type EgressSettingsInput, type FunctionSettingsInput } from '@stratus/contracts';
import type { FunctionConfigurationMessage, UpdateFunctionRequestMessage, CreateFunctionRequestMessage } from '@stratus/contracts/grpc';
import type { VersionedFunction } from '@stratus/registry';

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
    ...(request.replaceEnvironment || Object.keys(request.environment).length > 0 ? { environment: request.environment } : {}),
  };
}

/** `warnings` are a deploy's (CreateFunction, UpdateFunction); reads have none. */
export function toConfiguration({ fn, revision }: VersionedFunction, warnings: readonly string[] = []): FunctionConfigurationMessage {
  return {
    functionName: fn.name,
    functionArn: functionArn(fn.name),
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
  };
}
