import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import {
  POLICY_MAX_BYTES,
  functionArn,
  parseQualifier,
  policyDocumentText,
  policyStatementDocument,
  policyStatementSchema,
  policyStatementsOf,
  qualifiedFunctionArn,
  qualifierText,
  type PolicyStatement,
} from '@stratus/contracts';
import type { FunctionCatalog } from '../function-catalog.js';
import { splitQualifier } from '../invoke.js';
import type { Operation, OperationRequest } from './operations.js';
import { parseBody } from './shapes.js';

const SMALL_BODY_BYTES = 64 * 1024;
const FUNCTION = '([^/]+)';
/** The region Stratus names in ARNs. */
const ARN_REGION = 'local';

const fields = policyStatementSchema.shape;
/** AddPermission's body, checked with the stored statement's rules under Lambda's field names. */
const addPermissionBody = z
  .object({
    StatementId: fields.sid,
    Action: fields.action,
    Principal: fields.principal,
    SourceArn: fields.sourceArn,
    SourceAccount: fields.sourceAccount,
    PrincipalOrgID: fields.principalOrgId,
    EventSourceToken: fields.eventSourceToken,
    FunctionUrlAuthType: fields.functionUrlAuthType,
    RevisionId: z.string().max(64).optional(),
  })
  .strict();

/**
 * The function and qualifier a policy operation names: '' for the function's own policy (no qualifier or
 * `$LATEST`), else a version or alias, which must exist (Lambda's ResourceNotFoundException otherwise).
 */
async function policyTarget(catalog: FunctionCatalog, request: OperationRequest): Promise<{ name: string; qualifier: string; resourceArn: string }> {
  const { name, qualifier: given } = splitQualifier(request.functionName, request.query.get('Qualifier') ?? '');
  const parsed = parseQualifier(given);
  const qualifier = parsed.kind === 'latest' ? '' : qualifierText(parsed);
  // Finds the function, and the version or alias: each missing one is ResourceNotFoundException.
  const { fn } = await catalog.get(name, qualifier);
  return { name: fn.name, qualifier, resourceArn: qualifier === '' ? functionArn(fn.name, ARN_REGION) : qualifiedFunctionArn(fn.name, qualifier, ARN_REGION) };
}

function revisionIdOf(request: OperationRequest): string | undefined {
  const revisionId = request.query.get('RevisionId');
  if (revisionId !== undefined && !/^[0-9]{1,20}$/.test(revisionId)) {
    throw new StratusError('INVALID_ARGUMENT', `RevisionId: ${JSON.stringify(revisionId.slice(0, 40))} is not a revision id this API gave`);
  }
  return revisionId;
}

/**
 * Lambda's resource-based policy routes (`/2015-03-31/functions/{name}/policy[/{sid}]`): statements kept in the
 * function's etcd record, per function and per alias or version (`Qualifier`), rendered as Lambda's policy document.
 * Stratus authorizes callers by API key scope, so statements are kept and returned, not enforced (README).
 */
export const POLICY_OPERATIONS: readonly Operation[] = [
  {
    name: 'AddPermission',
    method: 'POST',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/policy/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(addPermissionBody, request.body, 'AddPermission');
      const { name, qualifier, resourceArn } = await policyTarget(catalog, request);
      const statement: PolicyStatement = {
        sid: body.StatementId,
        action: body.Action,
        principal: body.Principal,
        ...(body.SourceArn !== undefined ? { sourceArn: body.SourceArn } : {}),
        ...(body.SourceAccount !== undefined ? { sourceAccount: body.SourceAccount } : {}),
        ...(body.PrincipalOrgID !== undefined ? { principalOrgId: body.PrincipalOrgID } : {}),
        ...(body.EventSourceToken !== undefined ? { eventSourceToken: body.EventSourceToken } : {}),
        ...(body.FunctionUrlAuthType !== undefined ? { functionUrlAuthType: body.FunctionUrlAuthType } : {}),
      };
      await catalog.setPolicy(name, qualifier, body.RevisionId, (current) => {
        if (current.some((existing) => existing.sid === statement.sid)) {
          throw new StratusError(
            'FUNCTION_ALREADY_EXISTS',
            `The statement id (${statement.sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          );
        }
        const next = [...current, statement];
        const size = Buffer.byteLength(policyDocumentText(next, resourceArn));
        if (size > POLICY_MAX_BYTES) {
          throw new StratusError('INVALID_ARGUMENT', `The final policy size (${size}) is bigger than the limit (${POLICY_MAX_BYTES}).`, {
            details: { lambdaName: 'PolicyLengthExceededException' },
          });
        }
        return next;
      });
      return { status: 201, body: { Statement: JSON.stringify(policyStatementDocument(statement, resourceArn)) } };
    },
  },
  {
    name: 'GetPolicy',
    method: 'GET',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/policy/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { name, qualifier, resourceArn } = await policyTarget(catalog, request);
      const latest = await catalog.get(name);
      const statements = policyStatementsOf(latest.fn.policies, qualifier);
      if (statements.length === 0) throw new StratusError('FUNCTION_NOT_FOUND', 'The resource you requested does not exist.');
      return { status: 200, body: { Policy: policyDocumentText(statements, resourceArn), RevisionId: String(latest.revision) } };
    },
  },
  {
    name: 'RemovePermission',
    method: 'DELETE',
    path: new RegExp(`^/2015-03-31/functions/${FUNCTION}/policy/([^/]+)/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const sid = request.subName;
      if (!policyStatementSchema.shape.sid.safeParse(sid).success) {
        throw new StratusError('INVALID_ARGUMENT', `StatementId: ${JSON.stringify(sid.slice(0, 120))}: must be 1 to 100 letters, digits, - and _`);
      }
      const revisionId = revisionIdOf(request);
      const { name, qualifier } = await policyTarget(catalog, request);
      await catalog.setPolicy(name, qualifier, revisionId, (current) => {
        if (!current.some((statement) => statement.sid === sid)) {
          throw new StratusError('FUNCTION_NOT_FOUND', `Statement ${sid} is not found in resource policy.`);
        }
        return current.filter((statement) => statement.sid !== sid);
      });
      return { status: 204 };
    },
  },
];
