import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { DEFAULT_EVENT_INVOKE_CONFIG, functionArn, qualifiedFunctionArn } from '@stratus/contracts';
import { splitQualifier } from '../invoke.js';
import type { Operation, OperationRequest } from './operations.js';
import { parseBody } from './shapes.js';

/**
 * Lambda operations for features Stratus does not have (code signing, runtime version management, layers), answered
 * as Lambda answers a function or account that uses none of them, so tools that read them (Terraform's
 * aws_lambda_function reads the code signing config after every apply) work unchanged; an operation that would
 * turn one on is refused with a message saying Stratus has no such feature.
 */

const SMALL_BODY_BYTES = 64 * 1024;
const FUNCTION = '([^/]+)';
/** The region and account Stratus names in ARNs. */
const ARN_REGION = 'local';
const ACCOUNT = '000000000000';

const NO_CODE_SIGNING =
  'Stratus has no code signing: functions run the code their deploy bundled, stored by its SHA-256 (CodeSha256), and only keys with the deploy scope can change it';
const NO_LAYERS = 'Stratus has no layers: put dependencies in the function zip (the deploy bundles them into one script with esbuild)';

const runtimeManagementBody = z
  .object({
    UpdateRuntimeOn: z.enum(['Auto', 'FunctionUpdate', 'Manual'], { error: 'must be Auto, FunctionUpdate or Manual' }),
    RuntimeVersionArn: z.string().max(2048).optional(),
  })
  .strict();

const recursionConfigBody = z.object({ RecursiveLoop: z.enum(['Allow', 'Terminate'], { error: 'must be Allow or Terminate' }) }).strict();

function refused(operation: string, why: string): StratusError {
  return new StratusError('INVALID_ARGUMENT', `${operation}: ${why}`);
}

function invalid(field: string, value: string, rule: string): StratusError {
  return new StratusError('INVALID_ARGUMENT', `${field}: ${JSON.stringify(value.slice(0, 120))} ${rule}`);
}

/** Lambda's LayerName: a name or a layer ARN. */
const LAYER_NAME = /^(?:arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9_-]+|[a-zA-Z0-9_-]+)$/;
const STATEMENT_ID = /^[a-zA-Z0-9_-]{1,100}$/;
/**
 * Lambda's CodeSigningConfigArn, whose ids are `csc-` and 17 characters; the region may also be Stratus's own
 * (`local`), as a config of Stratus's would be named if it had any.
 */
const CODE_SIGNING_CONFIG_ARN = /^arn:(?:aws[a-zA-Z-]*)?:lambda:(?:[a-z]{2}(?:-gov|-isob?)?-[a-z]+-\d|local):\d{12}:code-signing-config:csc-[a-z0-9]{17}$/;
const LIST_MAX_ITEMS = 10_000;

/** The layer version a path names, as its ARN; each part checked with Lambda's rules. */
function layerVersionArn(request: OperationRequest): string {
  const [layerName = '', versionText = ''] = request.pathNames;
  if (layerName.length > 140 || !LAYER_NAME.test(layerName)) {
    throw invalid('LayerName', layerName, 'is not a layer name (1 to 140 letters, digits, - and _) or layer ARN');
  }
  if (!/^\d{1,18}$/.test(versionText)) throw invalid('VersionNumber', versionText, 'is not a layer version number (a whole number)');
  const base = layerName.startsWith('arn:') ? layerName : `arn:aws:lambda:${ARN_REGION}:${ACCOUNT}:layer:${layerName}`;
  return `${base}:${Number(versionText)}`;
}

/** Lambda's answer for a layer version that does not exist, as every one does here. */
function noLayerVersion(arn: string): StratusError {
  return new StratusError('FUNCTION_NOT_FOUND', `Layer version ${arn} does not exist. ${NO_LAYERS}`);
}

function codeSigningConfigArn(request: OperationRequest): string {
  const [arn = ''] = request.pathNames;
  if (arn.length > 200 || !CODE_SIGNING_CONFIG_ARN.test(arn)) {
    throw invalid('CodeSigningConfigArn', arn, 'is not a code signing configuration ARN (arn:aws:lambda:REGION:ACCOUNT:code-signing-config:csc-…, 17 letters and digits)');
  }
  return arn;
}

/** Lambda's answer for a code signing configuration that does not exist, as every one does here. */
function noCodeSigningConfig(arn: string): StratusError {
  return new StratusError('FUNCTION_NOT_FOUND', `The code signing configuration ${arn} does not exist. ${NO_CODE_SIGNING}`);
}

/** A list operation's paging parameters, checked as Lambda checks them; with nothing to list, no Marker can be one this API gave. */
function checkPaging(request: OperationRequest, operation: string): void {
  const maxItems = request.query.get('MaxItems');
  if (maxItems !== undefined && (!/^\d{1,5}$/.test(maxItems) || Number(maxItems) < 1 || Number(maxItems) > LIST_MAX_ITEMS)) {
    throw invalid('MaxItems', maxItems, `is not a whole number from 1 to ${LIST_MAX_ITEMS}`);
  }
  const marker = request.query.get('Marker');
  if (marker !== undefined) throw invalid('Marker', marker, `is not a NextMarker an earlier ${operation} returned (it never returns one: there is nothing to page)`);
}

const codeSigningPolicies = z
  .object({ UntrustedArtifactOnDeployment: z.enum(['Warn', 'Enforce'], { error: 'must be Warn or Enforce' }).optional() })
  .strict();
const allowedPublishers = z
  .object({ SigningProfileVersionArns: z.array(z.string().min(1).max(1024)).min(1, 'must list 1 to 20 ARNs').max(20, 'must list 1 to 20 ARNs') })
  .strict();
const createCodeSigningConfigBody = z
  .object({
    Description: z.string().max(256).optional(),
    AllowedPublishers: allowedPublishers,
    CodeSigningPolicies: codeSigningPolicies.optional(),
    Tags: z.record(z.string(), z.string()).optional(),
  })
  .strict();
const updateCodeSigningConfigBody = createCodeSigningConfigBody.omit({ Tags: true }).partial();
const addLayerVersionPermissionBody = z
  .object({
    StatementId: z.string().regex(STATEMENT_ID, 'must be 1 to 100 letters, digits, - and _'),
    Action: z.literal('lambda:GetLayerVersion', { error: 'must be lambda:GetLayerVersion' }),
    Principal: z.string().regex(/^(?:\d{12}|\*|arn:aws[a-zA-Z-]*:iam::\d{12}:root)$/, 'must be an account id, * or arn:aws:iam::ACCOUNT:root'),
    OrganizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id (o- and 10 to 32 letters and digits)').optional(),
  })
  .strict();

const LAYER_VERSION_POLICY = `^/2018-10-31/layers/${FUNCTION}/versions/${FUNCTION}/policy`;
const CODE_SIGNING_CONFIGS = '^/2020-04-22/code-signing-configs';

export const ABSENT_FEATURE_OPERATIONS: readonly Operation[] = [
  {
    name: 'GetFunctionCodeSigningConfig',
    method: 'GET',
    path: new RegExp(`^/2020-06-30/functions/${FUNCTION}/code-signing-config/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { name } = splitQualifier(request.functionName, '');
      const { fn } = await catalog.get(name);
      // Lambda's answer for a function without a code signing configuration.
      return { status: 200, body: { CodeSigningConfigArn: '', FunctionName: fn.name } };
    },
  },
  {
    name: 'PutFunctionCodeSigningConfig',
    method: 'PUT',
    path: new RegExp(`^/2020-06-30/functions/${FUNCTION}/code-signing-config/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    run() {
      return Promise.reject(refused('PutFunctionCodeSigningConfig', NO_CODE_SIGNING));
    },
  },
  {
    name: 'DeleteFunctionCodeSigningConfig',
    method: 'DELETE',
    path: new RegExp(`^/2020-06-30/functions/${FUNCTION}/code-signing-config/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    run() {
      return Promise.reject(refused('DeleteFunctionCodeSigningConfig', NO_CODE_SIGNING));
    },
  },
  {
    name: 'GetRuntimeManagementConfig',
    method: 'GET',
    path: new RegExp(`^/2021-07-20/functions/${FUNCTION}/runtime-management-config/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { name, qualifier } = splitQualifier(request.functionName, request.query.get('Qualifier') ?? '');
      const { fn } = await catalog.get(name, qualifier);
      // Stratus runs every function on the one Node.js 20 runtime its nodes have, updated with the nodes: Lambda's Auto.
      return { status: 200, body: { UpdateRuntimeOn: 'Auto', FunctionArn: qualifier === '' ? functionArn(fn.name, ARN_REGION) : qualifiedFunctionArn(fn.name, qualifier, ARN_REGION) } };
    },
  },
  {
    name: 'PutRuntimeManagementConfig',
    method: 'PUT',
    path: new RegExp(`^/2021-07-20/functions/${FUNCTION}/runtime-management-config/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(runtimeManagementBody, request.body, 'PutRuntimeManagementConfig');
      if (body.UpdateRuntimeOn !== 'Auto' || body.RuntimeVersionArn !== undefined) {
        throw refused('PutRuntimeManagementConfig', 'UpdateRuntimeOn: Stratus runs every function on the Node.js 20 runtime its nodes have (Auto); it cannot pin a runtime version');
      }
      const { name, qualifier } = splitQualifier(request.functionName, request.query.get('Qualifier') ?? '');
      const { fn } = await catalog.get(name, qualifier);
      return { status: 200, body: { UpdateRuntimeOn: 'Auto', FunctionArn: qualifier === '' ? functionArn(fn.name, ARN_REGION) : qualifiedFunctionArn(fn.name, qualifier, ARN_REGION) } };
    },
  },
  {
    name: 'GetFunctionRecursionConfig',
    method: 'GET',
    path: new RegExp(`^/2024-08-31/functions/${FUNCTION}/recursion-config/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    async run({ catalog }, request) {
      const { name } = splitQualifier(request.functionName, '');
      const { fn } = await catalog.get(name);
      // The function's own event invoke configuration holds it (`stratus async config --recursive-loop`).
      return { status: 200, body: { RecursiveLoop: fn.eventInvokeConfig?.recursiveLoop ?? 'Terminate' } };
    },
  },
  {
    name: 'PutFunctionRecursionConfig',
    method: 'PUT',
    path: new RegExp(`^/2024-08-31/functions/${FUNCTION}/recursion-config/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    async run({ catalog }, request) {
      const body = parseBody(recursionConfigBody, request.body, 'PutFunctionRecursionConfig');
      const { name, qualifier } = splitQualifier(request.functionName, '');
      if (qualifier !== '') throw refused('PutFunctionRecursionConfig', 'FunctionName: the recursion setting is the function’s; name it without a qualifier');
      const recursiveLoop = body.RecursiveLoop;
      // Kept in the function's own event invoke configuration, as `stratus async config --recursive-loop` keeps it;
      // Terminate on a function without one is already so, and makes none.
      const { fn } = await catalog.setEventInvokeConfig(name, '', (current) =>
        current === undefined && recursiveLoop === 'Terminate' ? undefined : { ...(current ?? DEFAULT_EVENT_INVOKE_CONFIG), recursiveLoop, lastModified: new Date().toISOString() },
      );
      return { status: 200, body: { RecursiveLoop: fn.eventInvokeConfig?.recursiveLoop ?? 'Terminate' } };
    },
  },
  {
    name: 'ListLayers',
    method: 'GET',
    path: /^\/2018-10-31\/layers\/?$/,
    scope: 'read',
    maxBodyBytes: 0,
    run(_services, request) {
      // GetLayerVersionByArn shares this path (`?find=LayerVersion&Arn=`): no layer version exists.
      if (request.query.has('find')) return Promise.reject(new StratusError('FUNCTION_NOT_FOUND', `The resource you requested does not exist. ${NO_LAYERS}`));
      return Promise.resolve({ status: 200, body: { Layers: [] } });
    },
  },
  {
    name: 'ListLayerVersions',
    method: 'GET',
    path: new RegExp(`^/2018-10-31/layers/${FUNCTION}/versions/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    run() {
      return Promise.resolve({ status: 200, body: { LayerVersions: [] } });
    },
  },
  {
    name: 'PublishLayerVersion',
    method: 'POST',
    path: new RegExp(`^/2018-10-31/layers/${FUNCTION}/versions/?$`),
    scope: 'deploy',
    // Refused before the body matters; a layer's zip is not read.
    maxBodyBytes: SMALL_BODY_BYTES,
    run() {
      return Promise.reject(refused('PublishLayerVersion', NO_LAYERS));
    },
  },
  {
    name: 'GetLayerVersion',
    method: 'GET',
    path: new RegExp(`^/2018-10-31/layers/${FUNCTION}/versions/([^/]+)/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    run() {
      return Promise.reject(new StratusError('FUNCTION_NOT_FOUND', `The resource you requested does not exist. ${NO_LAYERS}`));
    },
  },
  {
    name: 'DeleteLayerVersion',
    method: 'DELETE',
    path: new RegExp(`^/2018-10-31/layers/${FUNCTION}/versions/([^/]+)/?$`),
    scope: 'deploy',
    maxBodyBytes: 0,
    run() {
      // Lambda answers 204 for a layer version that does not exist, and none does here.
      return Promise.resolve({ status: 204 });
    },
  },
  {
    name: 'AddLayerVersionPermission',
    method: 'POST',
    path: new RegExp(`${LAYER_VERSION_POLICY}/?$`),
    pathFields: ['LayerName', 'VersionNumber'],
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    run(_services, request) {
      const arn = layerVersionArn(request);
      parseBody(addLayerVersionPermissionBody, request.body, 'AddLayerVersionPermission');
      return Promise.reject(noLayerVersion(arn));
    },
  },
  {
    name: 'GetLayerVersionPolicy',
    method: 'GET',
    path: new RegExp(`${LAYER_VERSION_POLICY}/?$`),
    pathFields: ['LayerName', 'VersionNumber'],
    scope: 'read',
    maxBodyBytes: 0,
    run(_services, request) {
      return Promise.reject(noLayerVersion(layerVersionArn(request)));
    },
  },
  {
    name: 'RemoveLayerVersionPermission',
    method: 'DELETE',
    path: new RegExp(`${LAYER_VERSION_POLICY}/([^/]+)/?$`),
    pathFields: ['LayerName', 'VersionNumber', 'StatementId'],
    scope: 'deploy',
    maxBodyBytes: 0,
    run(_services, request) {
      const arn = layerVersionArn(request);
      const sid = request.pathNames[2] ?? '';
      if (!STATEMENT_ID.test(sid)) throw invalid('StatementId', sid, 'is not a statement id (1 to 100 letters, digits, - and _)');
      return Promise.reject(noLayerVersion(arn));
    },
  },
  {
    name: 'CreateCodeSigningConfig',
    method: 'POST',
    path: new RegExp(`${CODE_SIGNING_CONFIGS}/?$`),
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    run(_services, request) {
      parseBody(createCodeSigningConfigBody, request.body, 'CreateCodeSigningConfig');
      return Promise.reject(refused('CreateCodeSigningConfig', NO_CODE_SIGNING));
    },
  },
  {
    name: 'ListCodeSigningConfigs',
    method: 'GET',
    path: new RegExp(`${CODE_SIGNING_CONFIGS}/?$`),
    scope: 'read',
    maxBodyBytes: 0,
    run(_services, request) {
      checkPaging(request, 'ListCodeSigningConfigs');
      // NextMarker only when there is a next page, as every Stratus list answers.
      return Promise.resolve({ status: 200, body: { CodeSigningConfigs: [] } });
    },
  },
  {
    name: 'GetCodeSigningConfig',
    method: 'GET',
    path: new RegExp(`${CODE_SIGNING_CONFIGS}/${FUNCTION}/?$`),
    pathFields: ['CodeSigningConfigArn'],
    scope: 'read',
    maxBodyBytes: 0,
    run(_services, request) {
      return Promise.reject(noCodeSigningConfig(codeSigningConfigArn(request)));
    },
  },
  {
    name: 'UpdateCodeSigningConfig',
    method: 'PUT',
    path: new RegExp(`${CODE_SIGNING_CONFIGS}/${FUNCTION}/?$`),
    pathFields: ['CodeSigningConfigArn'],
    scope: 'deploy',
    maxBodyBytes: SMALL_BODY_BYTES,
    run(_services, request) {
      const arn = codeSigningConfigArn(request);
      parseBody(updateCodeSigningConfigBody, request.body, 'UpdateCodeSigningConfig');
      return Promise.reject(noCodeSigningConfig(arn));
    },
  },
  {
    name: 'DeleteCodeSigningConfig',
    method: 'DELETE',
    path: new RegExp(`${CODE_SIGNING_CONFIGS}/${FUNCTION}/?$`),
    pathFields: ['CodeSigningConfigArn'],
    scope: 'deploy',
    maxBodyBytes: 0,
    run(_services, request) {
      return Promise.reject(noCodeSigningConfig(codeSigningConfigArn(request)));
    },
  },
  {
    name: 'ListFunctionsByCodeSigningConfig',
    method: 'GET',
    path: new RegExp(`${CODE_SIGNING_CONFIGS}/${FUNCTION}/functions/?$`),
    pathFields: ['CodeSigningConfigArn'],
    scope: 'read',
    maxBodyBytes: 0,
    run(_services, request) {
      const arn = codeSigningConfigArn(request);
      checkPaging(request, 'ListFunctionsByCodeSigningConfig');
      // Lambda lists the functions of a configuration that exists; none does here.
      return Promise.reject(noCodeSigningConfig(arn));
    },
  },
];
