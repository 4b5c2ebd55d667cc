import { z } from 'zod';

/** Lambda's function URL CORS settings, as stored: what a preflight is answered with and what responses carry. */
export const functionUrlCorsSchema = z
  .object({
    allowCredentials: z.boolean().optional(),
    allowHeaders: z.array(z.string().min(1).max(1024)).max(100).optional(),
    allowMethods: z.array(z.string().regex(/^(\*|GET|PUT|HEAD|POST|PATCH|DELETE|OPTIONS)$/, 'must be *, GET, PUT, HEAD, POST, PATCH, DELETE or OPTIONS')).max(6).optional(),
    allowOrigins: z.array(z.string().min(1).max(253)).max(100).optional(),
    exposeHeaders: z.array(z.string().min(1).max(1024)).max(100).optional(),
    maxAge: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();
export type FunctionUrlCors = z.infer<typeof functionUrlCorsSchema>;

/**
 * A function's URL (Lambda's function URL config): served by every
 * frontend's HTTP listener at `/lambda-url/<function name>/`. `AWS_IAM`
 * means a request must be signed with SigV4 by an API key with the
 * `invoke` scope; `NONE`, that anyone may call it.
 */
export const functionUrlConfigSchema = z.object({
  authType: z.enum(['NONE', 'AWS_IAM']),
  cors: functionUrlCorsSchema.optional(),
  createdAt: z.string(),
  lastModifiedAt: z.string(),
});
export type FunctionUrlConfig = z.infer<typeof functionUrlConfigSchema>;

/** Where a function's URL is served on a frontend's HTTP listener. */
export const FUNCTION_URL_PATH_PREFIX = '/lambda-url/';
