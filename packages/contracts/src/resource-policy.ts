import { z } from 'zod';

/**
 * Lambda's resource-based policy (AddPermission, RemovePermission, GetPolicy): statements kept per function and
 * per alias or version, in the stored function record. Stratus keeps and returns them in Lambda's policy document;
 * it authorizes callers by API key scopes, not by AWS principals, so nothing here decides who may call a function.
 */

/** Lambda's limit on one policy document (PolicyLengthExceededException past it). */
export const POLICY_MAX_BYTES = 20 * 1024;
/** Stratus's limit on all of one function's policies together: they live in the function's etcd value. */
export const POLICIES_MAX_BYTES_PER_FUNCTION = 256 * 1024;

/** One statement as AddPermission gave it (Lambda's request fields), rendered into the policy document on read. */
export const policyStatementSchema = z.object({
  sid: z.string().regex(/^[a-zA-Z0-9_-]{1,100}$/, 'must be 1 to 100 letters, digits, - and _'),
  action: z.string().regex(/^(lambda:\*|lambda:[a-zA-Z]+|\*)$/, 'must be lambda:<Action>, lambda:* or *').max(64, 'must be at most 64 characters'),
  principal: z
    .string()
    .max(256, 'must be at most 256 characters')
    .regex(/^(\*|\d{12}|arn:\S+|[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+)$/, 'must be *, a 12-digit account id, an ARN or a service principal (such as s3.amazonaws.com)'),
  sourceArn: z
    .string()
    .max(1024, 'must be at most 1024 characters')
    .regex(/^arn:(aws[a-zA-Z0-9-]*|stratus):[a-zA-Z0-9-]+:[a-z0-9-]*:(\d{12})?:[!-~]*$/, 'must be an ARN (arn:partition:service:region:account:resource, printable ASCII without spaces)')
    .optional(),
  sourceAccount: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id').optional(),
  principalOrgId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id (o- and 10 to 32 lower-case letters and digits)').optional(),
  eventSourceToken: z.string().regex(/^[a-zA-Z0-9._-]{1,256}$/, 'must be 1 to 256 letters, digits, ., _ and -').optional(),
  functionUrlAuthType: z.enum(['NONE', 'AWS_IAM'], { error: 'must be NONE or AWS_IAM' }).optional(),
});
export type PolicyStatement = z.infer<typeof policyStatementSchema>;

/**
 * The statements of one qualifier's policy: '' for the function's own (unqualified or `$LATEST`), else an alias or
 * version. A list, not a record keyed by qualifier, as an alias may be named `__proto__`.
 */
export const qualifiedPolicySchema = z.object({
  qualifier: z.string(),
  statements: z.array(policyStatementSchema).min(1),
});
export type QualifiedPolicy = z.infer<typeof qualifiedPolicySchema>;

/** The statements of `qualifier`'s policy ('' or `$LATEST`: the function's own); empty when it has none. */
export function policyStatementsOf(policies: readonly QualifiedPolicy[] | undefined, qualifier: string): readonly PolicyStatement[] {
  return policies?.find((policy) => policy.qualifier === qualifier)?.statements ?? [];
}

/** Lambda's Principal element: `*`, an account's root, an ARN, or a service principal. */
function principalElement(principal: string): string | Record<string, string> {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

/** One statement in Lambda's policy JSON, for `resourceArn` (the function's ARN, qualified when the policy is). */
export function policyStatementDocument(statement: PolicyStatement, resourceArn: string): Record<string, unknown> {
  const stringEquals: Record<string, string> = {};
  if (statement.sourceAccount !== undefined) stringEquals['AWS:SourceAccount'] = statement.sourceAccount;
  if (statement.principalOrgId !== undefined) stringEquals['aws:PrincipalOrgID'] = statement.principalOrgId;
  if (statement.eventSourceToken !== undefined) stringEquals['lambda:EventSourceToken'] = statement.eventSourceToken;
  if (statement.functionUrlAuthType !== undefined) stringEquals['lambda:FunctionUrlAuthType'] = statement.functionUrlAuthType;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(stringEquals).length > 0) condition['StringEquals'] = stringEquals;
  if (statement.sourceArn !== undefined) condition['ArnLike'] = { 'AWS:SourceArn': statement.sourceArn };
  return {
    Sid: statement.sid,
    Effect: 'Allow',
    Principal: principalElement(statement.principal),
    Action: statement.action,
    Resource: resourceArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** Lambda's policy document (GetPolicy's `Policy`), as the JSON text Lambda returns. */
export function policyDocumentText(statements: readonly PolicyStatement[], resourceArn: string): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements.map((statement) => policyStatementDocument(statement, resourceArn)) });
}
