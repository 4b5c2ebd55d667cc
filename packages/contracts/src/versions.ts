import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { functionArn, functionNameSchema, parseOrThrow, type StoredFunction } from './function-config.js';
import { invocationTargetOf } from './invocation-target.js';
import { LATEST_VERSION } from './limits.js';

/*
 * Lambda's versions and aliases, as data: a version is an immutable snapshot
 * of a function's code and configuration, numbered 1, 2, 3… per function; an
 * alias names a version, optionally routing a share of calls to a second one.
 * What may be named how, and how an alias picks the version a call runs, is
 * decided here once, for every frontend and the REST layer alike.
 */

/** A published version's number as Lambda writes it: a positive whole number, no leading zeros. */
export const VERSION_NUMBER_PATTERN = /^[1-9][0-9]{0,9}$/;
/** Lambda's alias names: letters, digits, `-` and `_`, not all digits (those are versions). */
const ALIAS_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const ALIAS_NAME_MAX_LENGTH = 128;
/** Lambda's limit on a version's or alias's description. */
export const VERSION_DESCRIPTION_MAX_LENGTH = 256;
/** Lambda routes an alias to its version and at most one more. */
export const ALIAS_MAX_ADDITIONAL_VERSIONS = 1;
/** Items one page of ListVersionsByFunction or ListAliases holds when the request names no MaxItems (Lambda's 50). */
export const LIST_PAGE_DEFAULT = 50;
/** Largest MaxItems Lambda accepts on those lists. */
export const LIST_PAGE_MAX = 10_000;

export const versionNumberSchema = z.string().regex(VERSION_NUMBER_PATTERN, 'must be a version number (1, 2, 3, …)');

export const aliasNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(ALIAS_NAME_MAX_LENGTH, `must be at most ${ALIAS_NAME_MAX_LENGTH} characters`)
  .regex(ALIAS_NAME_PATTERN, 'may contain only letters, digits, hyphens and underscores')
  .refine((name) => !/^[0-9]+$/.test(name), 'must not be all digits (those name versions)');

/** What an alias may point at: a published version, or $LATEST (without routing, as Lambda has it). */
export const aliasTargetVersionSchema = z
  .string()
  .refine((version) => version === LATEST_VERSION || VERSION_NUMBER_PATTERN.test(version), `must be ${LATEST_VERSION} or a version number (1, 2, 3, …)`);

const weightSchema = z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1');

/**
 * Lambda's AliasRoutingConfiguration: the share of calls (0 to 1) that run a
 * second version instead of the alias's own. Empty: every call runs the alias's version.
 */
export const additionalVersionWeightsSchema = z
  .record(z.string(), weightSchema)
  .superRefine((weights, ctx) => {
    const versions = Object.keys(weights);
    if (versions.length > ALIAS_MAX_ADDITIONAL_VERSIONS) {
      ctx.addIssue({ code: 'custom', message: `an alias routes to at most ${ALIAS_MAX_ADDITIONAL_VERSIONS} additional version; got ${versions.length}` });
    }
    for (const version of versions) {
      if (!VERSION_NUMBER_PATTERN.test(version)) {
        ctx.addIssue({ code: 'custom', path: [version], message: 'must be a published version number (not $LATEST)' });
      }
    }
  });

/** An alias as stored in etcd, one key per alias (`keys.alias`). */
export const storedAliasSchema = z
  .object({
    functionName: functionNameSchema,
    name: aliasNameSchema,
    functionVersion: aliasTargetVersionSchema,
    description: z.string().max(VERSION_DESCRIPTION_MAX_LENGTH, `must be at most ${VERSION_DESCRIPTION_MAX_LENGTH} characters`).default(''),
    additionalVersionWeights: additionalVersionWeightsSchema.default({}),
    /** Provisioned concurrency configured on the alias (Lambda's per-qualifier PutProvisionedConcurrencyConfig). */
    provisionedConcurrency: z.number().int().positive().optional(),
  })
  .superRefine((alias, ctx) => {
    const additional = Object.keys(alias.additionalVersionWeights);
    if (additional.length > 0 && alias.functionVersion === LATEST_VERSION) {
      ctx.addIssue({ code: 'custom', path: ['functionVersion'], message: `an alias with routing must point at a published version, not ${LATEST_VERSION}` });
    }
    if (additional.includes(alias.functionVersion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['additionalVersionWeights', alias.functionVersion],
        message: `must differ from the alias's own version (${alias.functionVersion})`,
      });
    }
  });
export type StoredAlias = z.infer<typeof storedAliasSchema>;
export type StoredAliasInput = z.input<typeof storedAliasSchema>;

/** What a qualifier names: `$LATEST` (or nothing), a published version, or an alias. */
export type Qualifier =
  | { readonly kind: 'latest' }
  | { readonly kind: 'version'; readonly version: string }
  | { readonly kind: 'alias'; readonly alias: string };

/**
 * Reads a qualifier as Lambda's APIs take it (Invoke, GetFunction,
 * DeleteFunction, provisioned concurrency): empty or `$LATEST`, a version
 * number, or an alias name. Throws INVALID_ARGUMENT naming the problem.
 */
export function parseQualifier(value: string): Qualifier {
  if (value === '' || value === LATEST_VERSION) return { kind: 'latest' };
  if (/^[0-9]+$/.test(value)) {
    parseOrThrow(versionNumberSchema, value, 'qualifier');
    return { kind: 'version', version: value };
  }
  return { kind: 'alias', alias: parseOrThrow(aliasNameSchema, value, 'qualifier') };
}

/** The qualifier as it appears after the function name: `$LATEST`, `3` or `prod`. */
export function qualifierText(qualifier: Qualifier): string {
  switch (qualifier.kind) {
    case 'latest':
      return LATEST_VERSION;
    case 'version':
      return qualifier.version;
    case 'alias':
      return qualifier.alias;
  }
}

/** Lambda's ARN of a version or alias (`…:function:name:3`, `…:function:name:prod`); unqualified when `qualifier` is empty. */
export function qualifiedFunctionArn(name: string, qualifier: string, region?: string): string {
  const arn = functionArn(name, region);
  return qualifier === '' ? arn : `${arn}:${qualifier}`;
}

/**
 * The version an alias call runs: the alias's own, or with probability
 * equal to its weight the additional one. `random` is in [0, 1), as Math.random.
 */
export function pickAliasVersion(alias: Pick<StoredAlias, 'functionVersion' | 'additionalVersionWeights'>, random: number): string {
  for (const [version, weight] of Object.entries(alias.additionalVersionWeights)) {
    if (random < weight) return version;
  }
  return alias.functionVersion;
}

/**
 * The snapshot PublishVersion stores: $LATEST's code and configuration under
 * the new number, the version's own description when one is given (Lambda
 * lets it differ from the function's), and no reserved concurrency nor
 * event invoke configuration, which belong to the function, not to a version.
 */
export function versionSnapshotOf(latest: StoredFunction, version: string, description: string | undefined, now: Date): StoredFunction {
  // Function-wide settings stay with the function: concurrency, async configuration and URLs (an alias's URL is kept by the function, not the version).
  const { reservedConcurrency: _reserved, provisionedConcurrency: _provisioned, eventInvokeConfig: _eventInvokeConfig, qualifiedEventInvokeConfigs: _qualified, url: _url, aliasUrls: _aliasUrls, policies: _policies, ...settings } = latest;
  return { ...settings, version, description: description === undefined || description === '' ? latest.description : description, lastModified: now.toISOString() };
}

/**
 * True when two snapshots run the same code the same way: Lambda's rule that
 * publishing with nothing changed since the last version returns that
 * version. Compares what shapes an execution environment (the invocation
 * target's settings, so a description alone is no change).
 */
export function sameCodeAndConfiguration(a: StoredFunction, b: StoredFunction): boolean {
  return invocationTargetOf({ ...a, version: LATEST_VERSION }).digest === invocationTargetOf({ ...b, version: LATEST_VERSION }).digest;
}

/** Versions in Lambda's order: $LATEST first, then by number. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  if (a === LATEST_VERSION) return -1;
  if (b === LATEST_VERSION) return 1;
  return Number(a) - Number(b);
}

/** One page of a list, and the marker of the next (undefined on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextMarker: string | undefined;
}

/**
 * A page of `items` (already in list order) after `marker`, the key of the
 * last item of the previous page: a marker stays valid when items before it
 * are deleted. `maxItems` 0 means Lambda's default page size.
 */
export function pageAfter<T>(items: readonly T[], keyOf: (item: T) => string, compare: (a: string, b: string) => number, marker: string, maxItems: number): Page<T> {
  if (!Number.isInteger(maxItems) || maxItems < 0 || maxItems > LIST_PAGE_MAX) {
    throw new StratusError('INVALID_ARGUMENT', `maxItems must be a whole number from 1 to ${LIST_PAGE_MAX}, or 0 for the default, ${LIST_PAGE_DEFAULT}; got ${maxItems}`);
  }
  const size = maxItems === 0 ? LIST_PAGE_DEFAULT : maxItems;
  const start = marker === '' ? 0 : items.findIndex((item) => compare(keyOf(item), marker) > 0);
  if (start < 0) return { items: [], nextMarker: undefined };
  const page = items.slice(start, start + size);
  const last = page[page.length - 1];
  return { items: page, nextMarker: start + size < items.length && last !== undefined ? keyOf(last) : undefined };
}
