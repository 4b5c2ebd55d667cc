import { z } from 'zod';

/** Lambda's LoggingConfig.LogFormat. */
export const LOG_FORMATS = ['Text', 'JSON'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Lambda's ApplicationLogLevel, most detailed first (the runtime client's priorities). */
export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type ApplicationLogLevel = (typeof APPLICATION_LOG_LEVELS)[number];

/** Lambda's SystemLogLevel, most detailed first. */
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
export type SystemLogLevel = (typeof SYSTEM_LOG_LEVELS)[number];

/** Lambda's log group name rule (CloudWatch Logs). */
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]+$/;
const LOG_GROUP_MAX_LENGTH = 512;

/**
 * A function's logging setting as stored: Lambda's LoggingConfig. The
 * levels exist only with JSON, as on Lambda (Text has no levels to filter
 * by); `logGroup` is absent for the default, `/aws/lambda/<name>`.
 */
export const loggingSettingsSchema = z
  .object({
    logFormat: z.enum(LOG_FORMATS, { error: 'must be "Text" or "JSON"' }).default('Text'),
    applicationLogLevel: z.enum(APPLICATION_LOG_LEVELS, { error: `must be one of ${APPLICATION_LOG_LEVELS.join(', ')}` }).optional(),
    systemLogLevel: z.enum(SYSTEM_LOG_LEVELS, { error: `must be one of ${SYSTEM_LOG_LEVELS.join(', ')}` }).optional(),
    logGroup: z
      .string()
      .min(1, 'must not be empty')
      .max(LOG_GROUP_MAX_LENGTH, `must be at most ${LOG_GROUP_MAX_LENGTH} characters`)
      .regex(LOG_GROUP, 'may contain only letters, digits and . - _ / #')
      .optional(),
  })
  .superRefine((logging, ctx) => {
    if (logging.logFormat === 'JSON') return;
    for (const field of ['applicationLogLevel', 'systemLogLevel'] as const) {
      if (logging[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'is supported only with logFormat JSON (Text logs have no levels to filter by)' });
      }
    }
  })
  .transform((logging) =>
    logging.logFormat === 'JSON'
      ? { ...logging, applicationLogLevel: logging.applicationLogLevel ?? 'INFO', systemLogLevel: logging.systemLogLevel ?? 'INFO' }
      : logging,
  );
export type LoggingSettings = z.output<typeof loggingSettingsSchema>;
export type LoggingSettingsInput = z.input<typeof loggingSettingsSchema>;

export const DEFAULT_LOGGING: LoggingSettings = Object.freeze({ logFormat: 'Text' });

/** Lambda's default log group of a function. */
export function defaultLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAGS_MAX = 50;

/** Lambda's tag rules: at most 50; keys 1 to 128 characters, not starting with `aws:`; values up to 256. */
export const tagsSchema = z.record(z.string(), z.string()).superRefine((tags, ctx) => {
  const keys = Object.keys(tags);
  if (keys.length > TAGS_MAX) ctx.addIssue({ code: 'custom', message: `${keys.length} tags; the limit is ${TAGS_MAX}` });
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) ctx.addIssue({ code: 'custom', path: [key], message: 'a tag key must be 1 to 128 characters' });
    else if (!TAG_TEXT.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'a tag key may contain only letters, digits, spaces and _ . : / = + - @' });
    else if (key.toLowerCase().startsWith('aws:')) ctx.addIssue({ code: 'custom', path: [key], message: 'tag keys starting with "aws:" are reserved' });
    if (value.length > 256) ctx.addIssue({ code: 'custom', path: [key], message: 'a tag value must be at most 256 characters' });
    else if (!TAG_TEXT.test(value)) ctx.addIssue({ code: 'custom', path: [key], message: 'a tag value may contain only letters, digits, spaces and _ . : / = + - @' });
  }
});
