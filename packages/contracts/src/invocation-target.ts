import { createHash } from 'node:crypto';
import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { egressSettingsSchema } from './egress.js';
import { environmentSchema, functionNameSchema, parseOrThrow } from './function-config.js';
import { loggingSettingsSchema, type LoggingSettings } from './logging-config.js';
import { LIMITS } from './limits.js';

/** What shapes a function's execution environment, as a node receives it (strict: nothing else is accepted). */
export const targetSettingsSchema = z.strictObject({
  name: functionNameSchema,
  version: z.string().min(1).max(64),
  /** Hex SHA-256; also a file name in the node's code cache, so nothing else is accepted. */
  codeSha256: z.string().regex(/^[0-9a-f]{64}$/),
  handler: z.string().regex(/^[^\s]+$/, 'must be "file.export" without spaces').max(128),
  memoryMb: z.number().int().min(LIMITS.memoryMinMb).max(LIMITS.memoryMaxMb),
  timeoutSec: z.number().int().min(LIMITS.timeoutMinSec).max(LIMITS.timeoutMaxSec),
  /** What /tmp may hold; part of the digest, so functions differing only in it never share an environment. */
  ephemeralStorageMb: z.number().int().min(LIMITS.ephemeralStorageMinMb).max(LIMITS.ephemeralStorageMaxMb),
  environment: environmentSchema,
  /** Outbound network access, checked as at deploy; the node compiles the rules once per environment. */
  egress: egressSettingsSchema,
  /** Log format, level filters and log group name; the runtime formats and filters by them. */
  logging: loggingSettingsSchema,
});
export type TargetSettings = z.infer<typeof targetSettingsSchema>;

/**
 * What a node needs to run a function, resolved by the frontend so the node
 * never reads etcd on the invocation path. A call names it by `digest`; a
 * node that does not know the digest is sent `canonicalJson` once and keeps
 * the target (see `invocationTargetFromWire`).
 */
export interface InvocationTarget extends Readonly<TargetSettings> {
  /** Hex SHA-256 of `canonicalJson`: the target's name on the wire, and the key of its environments in a node's pools. */
  readonly digest: string;
  /** The settings as JSON in one canonical form (fields in a fixed order, environment sorted by name): the bytes the digest is of. */
  readonly canonicalJson: Uint8Array;
}

/** Longest canonical target a node accepts: the settings' own limits (4 KB of environment) with room to spare. */
export const TARGET_MAX_BYTES = 64 * 1024;

/**
 * The target of a function's invocations, digest computed: every builder
 * (frontends, a node's provisioner) goes through here, so the same settings
 * always have the same digest and share a node's environments.
 */
export function invocationTargetOf(fn: TargetSettings): InvocationTarget {
  const environment: Record<string, string> = {};
  for (const key of Object.keys(fn.environment).sort()) environment[key] = fn.environment[key] as string;
  const settings: TargetSettings = {
    name: fn.name,
    version: fn.version,
    codeSha256: fn.codeSha256,
    handler: fn.handler,
    memoryMb: fn.memoryMb,
    timeoutSec: fn.timeoutSec,
    ephemeralStorageMb: fn.ephemeralStorageMb,
    environment,
    egress: { mode: fn.egress.mode, allow: [...fn.egress.allow] },
    logging: canonicalLogging(fn.logging),
  };
  const canonicalJson = Buffer.from(JSON.stringify(settings), 'utf8');
  return Object.freeze({ ...settings, digest: createHash('sha256').update(canonicalJson).digest('hex'), canonicalJson });
}

/** Fields in a fixed order, absent ones left out. */
function canonicalLogging(logging: LoggingSettings): LoggingSettings {
  return {
    logFormat: logging.logFormat,
    ...(logging.applicationLogLevel !== undefined ? { applicationLogLevel: logging.applicationLogLevel } : {}),
    ...(logging.systemLogLevel !== undefined ? { systemLogLevel: logging.systemLogLevel } : {}),
    ...(logging.logGroup !== undefined ? { logGroup: logging.logGroup } : {}),
  };
}

/**
 * A target as a node received it, trusted only if the bytes hash to the
 * digest the call named and are the canonical form of valid settings: a
 * digest therefore always stands for the one target it was computed from.
 * Throws INVALID_ARGUMENT naming the problem.
 */
export function invocationTargetFromWire(canonicalJson: Uint8Array, digest: string): InvocationTarget {
  if (canonicalJson.byteLength > TARGET_MAX_BYTES) {
    throw new StratusError('INVALID_ARGUMENT', `invalid invocation target: ${canonicalJson.byteLength} bytes, over ${TARGET_MAX_BYTES}`);
  }
  const sent = createHash('sha256').update(canonicalJson).digest('hex');
  if (sent !== digest) throw new StratusError('INVALID_ARGUMENT', `invalid invocation target: its bytes hash to ${sent}, not to the digest ${digest} the call names`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(canonicalJson.buffer, canonicalJson.byteOffset, canonicalJson.byteLength).toString('utf8'));
  } catch (err) {
    throw new StratusError('INVALID_ARGUMENT', `invalid invocation target: not JSON (${(err as Error).message})`);
  }
  const target = invocationTargetOf(parseOrThrow(targetSettingsSchema, value, 'invocation target'));
  if (target.digest !== digest) throw new StratusError('INVALID_ARGUMENT', 'invalid invocation target: not in canonical form');
  return target;
}
