import { z } from 'zod';
import { LIMITS } from './limits.js';

/** Lambda's bounds for asynchronous invocation (FunctionEventInvokeConfig), and Stratus's loop limit. */
export const ASYNC_LIMITS = {
  retryAttemptsMin: 0,
  retryAttemptsMax: 2,
  retryAttemptsDefault: 2,
  eventAgeMinSec: 60,
  eventAgeMaxSec: 21_600,
  eventAgeDefaultSec: 21_600,
  /** Lambda stops a chain of invocations after it loops about 16 times; Stratus counts hops through async invokes and destinations. */
  maxTraceDepth: 16,
  /** Configurations one function may keep for its aliases and versions besides its own (an etcd value holds them all). */
  qualifiedConfigsMax: 100,
} as const;

export const RECURSIVE_LOOP_MODES = ['Terminate', 'Allow'] as const;
export type RecursiveLoopMode = (typeof RECURSIVE_LOOP_MODES)[number];

/**
 * A NATS subject a user may name as a destination (the part after `nats:` or
 * `jetstream:`): tokens of letters, digits, `-` and `_`, no wildcards. It is
 * published under the cluster's `<namespace>.out.` prefix, so a destination
 * can never reach the cluster's own subjects, JetStream's API or inboxes.
 */
const DESTINATION_SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){0,15}$/;
const DESTINATION_SUBJECT_MAX = 200;
const FUNCTION_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)$/;

export type Destination =
  | { readonly kind: 'function'; readonly functionName: string }
  | { readonly kind: 'nats'; readonly subject: string }
  | { readonly kind: 'jetstream'; readonly subject: string };

/**
 * Reads a destination as the API takes it: `function:NAME` or a Lambda
 * function ARN, `nats:SUBJECT`, `jetstream:SUBJECT`. Returns the problem as
 * text instead of a value when it is not one, so callers name the field.
 */
export function parseDestination(text: string): Destination | string {
  const arn = FUNCTION_ARN.exec(text);
  if (arn?.[1] !== undefined) return functionDestination(arn[1]);
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon);
  const rest = text.slice(colon + 1);
  switch (kind) {
    case 'function':
      return functionDestination(rest);
    case 'nats':
    case 'jetstream':
      if (rest.length > DESTINATION_SUBJECT_MAX || !DESTINATION_SUBJECT.test(rest)) {
        return `${kind}:${rest}: the subject must be 1 to 16 dot-separated tokens of letters, digits, "-" and "_" (no wildcards), at most ${DESTINATION_SUBJECT_MAX} characters`;
      }
      return { kind, subject: rest };
    default:
      return `${JSON.stringify(text)} is not a destination: expected function:NAME, a function ARN, nats:SUBJECT or jetstream:SUBJECT`;
  }
}

/** Function names as `function-config.ts` allows them (not imported from there: that module stores this one's schema). */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]+$/;

function functionDestination(name: string): Destination | string {
  if (name.length === 0 || name.length > LIMITS.functionNameMaxLength || !FUNCTION_NAME.test(name)) {
    return `function ${JSON.stringify(name)}: a function name is 1 to ${LIMITS.functionNameMaxLength} letters, digits, hyphens and underscores`;
  }
  return { kind: 'function', functionName: name };
}

export function formatDestination(destination: Destination): string {
  return destination.kind === 'function' ? `function:${destination.functionName}` : `${destination.kind}:${destination.subject}`;
}

const destinationSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseDestination(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

/** A function's asynchronous-invocation settings as stored with it in etcd (Lambda's FunctionEventInvokeConfig). */
export const eventInvokeConfigSchema = z.object({
  maximumRetryAttempts: z
    .number()
    .int('must be a whole number')
    .min(ASYNC_LIMITS.retryAttemptsMin, `must be from ${ASYNC_LIMITS.retryAttemptsMin} to ${ASYNC_LIMITS.retryAttemptsMax}`)
    .max(ASYNC_LIMITS.retryAttemptsMax, `must be from ${ASYNC_LIMITS.retryAttemptsMin} to ${ASYNC_LIMITS.retryAttemptsMax}`)
    .default(ASYNC_LIMITS.retryAttemptsDefault),
  maximumEventAgeInSeconds: z
    .number()
    .int('must be a whole number')
    .min(ASYNC_LIMITS.eventAgeMinSec, `must be from ${ASYNC_LIMITS.eventAgeMinSec} to ${ASYNC_LIMITS.eventAgeMaxSec} seconds`)
    .max(ASYNC_LIMITS.eventAgeMaxSec, `must be from ${ASYNC_LIMITS.eventAgeMinSec} to ${ASYNC_LIMITS.eventAgeMaxSec} seconds`)
    .default(ASYNC_LIMITS.eventAgeDefaultSec),
  onSuccess: destinationSchema.optional(),
  onFailure: destinationSchema.optional(),
  recursiveLoop: z.enum(RECURSIVE_LOOP_MODES, { error: 'must be "Terminate" or "Allow"' }).default('Terminate'),
  lastModified: z.string().default(() => new Date().toISOString()),
});
export type EventInvokeConfig = z.infer<typeof eventInvokeConfigSchema>;
export type EventInvokeConfigInput = z.input<typeof eventInvokeConfigSchema>;

/**
 * The configuration of one alias or version (PutFunctionEventInvokeConfig with a Qualifier). Kept as a list,
 * not a record by qualifier, because an alias may be named `__proto__`.
 */
export const qualifiedEventInvokeConfigSchema = eventInvokeConfigSchema.extend({ qualifier: z.string().min(1) });
export type QualifiedEventInvokeConfig = z.infer<typeof qualifiedEventInvokeConfigSchema>;

/** What a function without a configuration gets: Lambda's defaults. */
export const DEFAULT_EVENT_INVOKE_CONFIG: EventInvokeConfig = Object.freeze({
  maximumRetryAttempts: ASYNC_LIMITS.retryAttemptsDefault,
  maximumEventAgeInSeconds: ASYNC_LIMITS.eventAgeDefaultSec,
  recursiveLoop: 'Terminate',
  lastModified: '',
});
