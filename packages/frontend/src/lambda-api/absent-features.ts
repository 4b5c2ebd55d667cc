import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { DEFAULT_EVENT_INVOKE_CONFIG, functionArn, qualifiedFunctionArn } from '@stratus/contracts';
import { splitQualifier } from '../invoke.js';
import type { Operation } from './operations.js';
import { parseBody } from './shapes.js';

/**
 * Lambda operations for features Stratus does not have (code signing, runtime version management, layers), answered
 * as Lambda answers a function or account that uses none of them, so tools that read them (Terraform's
 * aws_lambda_function reads the code signing config after every apply) work unchanged; an operation that would
 * turn one on is refused with a message saying Stratus has no such feature.
 */

const SMALL_BODY_BYTES = 64 * 1024;
const FUNCTION = '([^/]+)';
/** The region Stratus names in ARNs. */
const ARN_REGION = 'local';

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
];
