import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddLayerVersionPermissionCommand,
  CreateCodeSigningConfigCommand,
  DeleteCodeSigningConfigCommand,
  GetCodeSigningConfigCommand,
  GetLayerVersionPolicyCommand,
  ListCodeSigningConfigsCommand,
  ListFunctionsByCodeSigningConfigCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateCodeSigningConfigCommand,
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCodeSigningConfigCommand,
  DeleteFunctionCommand,
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionRecursionConfigCommand,
  GetPolicyCommand,
  GetProvisionedConcurrencyConfigCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetRuntimeManagementConfigCommand,
  type LambdaClient,
  ListLayersCommand,
  ListLayerVersionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionCodeSigningConfigCommand,
  PutFunctionRecursionConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  PutRuntimeManagementConfigCommand,
  RemovePermissionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';
import { awsCliMissing, useAwsCli } from './support/aws-cli.js';
import { lambdaApiAdmin, lambdaClient } from './support/lambda-api.js';

// The Lambda operations Terraform's aws_lambda_function, aws_lambda_permission, aws_lambda_function_url and
// aws_lambda_alias and the AWS CLI call besides the core ones: resource-based policies (AddPermission, GetPolicy,
// RemovePermission), ListProvisionedConcurrencyConfigs, and the answers for features Stratus does not have (code
// signing, runtime management, recursion, layers), with @aws-sdk/client-lambda and AWS CLI v2.

const ECHO = `exports.handler = async (event) => ({ echo: event });`;
const ARN = (name: string): string => `arn:aws:lambda:local:000000000000:function:${name}`;

let cluster: TestCluster;
let endpoint: string;
let keyId: string;
let secret: string;
let client: LambdaClient;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1 });
  ({ endpoint, keyId, secret } = lambdaApiAdmin(cluster));
  client = lambdaClient({ endpoint, keyId, secret });
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await cluster?.stop();
});

interface Refusal {
  readonly name?: string;
  readonly status?: number;
  readonly message?: string;
}
const refusalOf = (sent: Promise<unknown>): Promise<Refusal | 'accepted'> =>
  sent.then(
    () => 'accepted' as const,
    (err: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => ({ name: err.name, status: err.$metadata?.httpStatusCode, message: err.message }),
  );

async function createFunction(name: string): Promise<void> {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Role: 'arn:aws:iam::000000000000:role/x', Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: indexJs(ECHO) } }));
}

describe('resource-based policies (@aws-sdk/client-lambda)', () => {
  it('adds statements in Lambda’s policy document, per function and per alias, and removes them', async () => {
    await createFunction('pol-fn');
    await client.send(new PublishVersionCommand({ FunctionName: 'pol-fn' }));
    await client.send(new CreateAliasCommand({ FunctionName: 'pol-fn', Name: 'live', FunctionVersion: '1' }));

    // No policy yet: Lambda's ResourceNotFoundException.
    expect(await refusalOf(client.send(new GetPolicyCommand({ FunctionName: 'pol-fn' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });

    const added = await client.send(
      new AddPermissionCommand({
        FunctionName: 'pol-fn',
        StatementId: 's3-invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::my-bucket',
        SourceAccount: '123456789012',
      }),
    );
    expect(added.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(added.Statement ?? '')).toEqual({
      Sid: 's3-invoke',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: ARN('pol-fn'),
      Condition: { StringEquals: { 'AWS:SourceAccount': '123456789012' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::my-bucket' } },
    });
    await client.send(
      new AddPermissionCommand({ FunctionName: 'pol-fn', StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }),
    );
    await client.send(new AddPermissionCommand({ FunctionName: 'pol-fn', StatementId: 'account', Action: 'lambda:GetFunction', Principal: '210987654321' }));

    const policy = await client.send(new GetPolicyCommand({ FunctionName: 'pol-fn' }));
    const document = JSON.parse(policy.Policy ?? '') as { Version: string; Id: string; Statement: Array<Record<string, unknown>> };
    expect(document).toMatchObject({ Version: '2012-10-17', Id: 'default' });
    expect(document.Statement.map((s) => s['Sid'])).toEqual(['s3-invoke', 'FunctionURLAllowPublicAccess', 'account']);
    expect(document.Statement[1]).toEqual({
      Sid: 'FunctionURLAllowPublicAccess',
      Effect: 'Allow',
      Principal: '*',
      Action: 'lambda:InvokeFunctionUrl',
      Resource: ARN('pol-fn'),
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
    });
    expect(document.Statement[2]).toMatchObject({ Principal: { AWS: 'arn:aws:iam::210987654321:root' } });
    expect(policy.RevisionId).toMatch(/^\d+$/);

    // A duplicate Sid, and a stale RevisionId, are refused as Lambda refuses them.
    expect(await refusalOf(client.send(new AddPermissionCommand({ FunctionName: 'pol-fn', StatementId: 's3-invoke', Action: 'lambda:InvokeFunction', Principal: '*' })))).toMatchObject({
      name: 'ResourceConflictException',
      status: 409,
      message: expect.stringContaining('The statement id (s3-invoke) provided already exists'),
    });
    expect(
      await refusalOf(client.send(new AddPermissionCommand({ FunctionName: 'pol-fn', StatementId: 'late', Action: 'lambda:InvokeFunction', Principal: '*', RevisionId: '1' }))),
    ).toMatchObject({ name: 'PreconditionFailedException', status: 412 });

    // The alias has a policy of its own, on its qualified ARN.
    expect(await refusalOf(client.send(new GetPolicyCommand({ FunctionName: 'pol-fn', Qualifier: 'live' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    const aliasStatement = await client.send(
      new AddPermissionCommand({ FunctionName: 'pol-fn', Qualifier: 'live', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' }),
    );
    expect(JSON.parse(aliasStatement.Statement ?? '')).toMatchObject({ Resource: `${ARN('pol-fn')}:live` });
    const aliasPolicy = JSON.parse((await client.send(new GetPolicyCommand({ FunctionName: 'pol-fn:live' }))).Policy ?? '') as { Statement: unknown[] };
    expect(aliasPolicy.Statement).toHaveLength(1);
    // A qualifier that names nothing is not found.
    expect(
      await refusalOf(client.send(new AddPermissionCommand({ FunctionName: 'pol-fn', Qualifier: '9', StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: '*' }))),
    ).toMatchObject({ name: 'ResourceNotFoundException' });

    // Policies stay with the function through code updates and publishes; a version gets none of the function's.
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'pol-fn', ZipFile: indexJs(ECHO.replace('echo', 'again')), Publish: true }));
    expect(JSON.parse((await client.send(new GetPolicyCommand({ FunctionName: 'pol-fn' }))).Policy ?? '')).toMatchObject({ Statement: expect.any(Array) });
    expect(await refusalOf(client.send(new GetPolicyCommand({ FunctionName: 'pol-fn', Qualifier: '2' })))).toMatchObject({ name: 'ResourceNotFoundException' });

    // RemovePermission: a missing Sid is not found; the last one removed leaves no policy.
    expect(await refusalOf(client.send(new RemovePermissionCommand({ FunctionName: 'pol-fn', StatementId: 'nope' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Statement nope is not found in resource policy.',
    });
    const current = await client.send(new GetPolicyCommand({ FunctionName: 'pol-fn' }));
    const removed = await client.send(new RemovePermissionCommand({ FunctionName: 'pol-fn', StatementId: 's3-invoke', RevisionId: current.RevisionId }));
    expect(removed.$metadata.httpStatusCode).toBe(204);
    await client.send(new RemovePermissionCommand({ FunctionName: 'pol-fn', StatementId: 'FunctionURLAllowPublicAccess' }));
    await client.send(new RemovePermissionCommand({ FunctionName: 'pol-fn', StatementId: 'account' }));
    expect(await refusalOf(client.send(new GetPolicyCommand({ FunctionName: 'pol-fn' })))).toMatchObject({ name: 'ResourceNotFoundException' });

    // Deleting the alias deletes its policy: an alias made again under the name starts with none.
    await client.send(new DeleteAliasCommand({ FunctionName: 'pol-fn', Name: 'live' }));
    await client.send(new CreateAliasCommand({ FunctionName: 'pol-fn', Name: 'live', FunctionVersion: '1' }));
    expect(await refusalOf(client.send(new GetPolicyCommand({ FunctionName: 'pol-fn', Qualifier: 'live' })))).toMatchObject({ name: 'ResourceNotFoundException' });

    // Deleting the function deletes its policy.
    await client.send(new AddPermissionCommand({ FunctionName: 'pol-fn', StatementId: 'again', Action: 'lambda:InvokeFunction', Principal: '*' }));
    await client.send(new DeleteFunctionCommand({ FunctionName: 'pol-fn' }));
    await createFunction('pol-fn');
    expect(await refusalOf(client.send(new GetPolicyCommand({ FunctionName: 'pol-fn' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses bad statements naming the field, and needs the deploy scope to change a policy', async () => {
    await createFunction('pol-bad');
    const add = (input: Partial<ConstructorParameters<typeof AddPermissionCommand>[0]>): Promise<Refusal | 'accepted'> =>
      refusalOf(client.send(new AddPermissionCommand({ FunctionName: 'pol-bad', StatementId: 'ok', Action: 'lambda:InvokeFunction', Principal: '*', ...input })));
    expect(await add({ Principal: 'not a principal' })).toMatchObject({ name: 'InvalidParameterValueException', status: 400, message: expect.stringContaining('Principal') });
    expect(await add({ Action: 'iam:PassRole' })).toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('Action') });
    expect(await add({ StatementId: 'has spaces' })).toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('StatementId') });
    expect(await add({ SourceAccount: '12' })).toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('SourceAccount') });
    expect(await add({ SourceArn: 'not-an-arn' })).toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('SourceArn') });
    expect(await add({ FunctionUrlAuthType: 'SOMETIMES' as 'NONE' })).toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('FunctionUrlAuthType') });
    expect(await refusalOf(client.send(new AddPermissionCommand({ FunctionName: 'pol-missing', StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: '*' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });

    // Lambda's 20 KB limit on one policy document.
    const long = `arn:aws:sns:us-east-1:123456789012:${'t'.repeat(900)}`;
    let refusal: Refusal | 'accepted' = 'accepted';
    for (let i = 0; i < 40 && refusal === 'accepted'; i++) refusal = await add({ StatementId: `s${i}`, SourceArn: long });
    expect(refusal).toMatchObject({ name: 'PolicyLengthExceededException', status: 400, message: expect.stringMatching(/The final policy size \(\d+\) is bigger than the limit \(20480\)/) });

    const reader = await cluster.client.createKey({ scopes: ['read'] });
    const readOnly = lambdaClient({ endpoint, keyId: reader.keyId, secret: reader.secret });
    try {
      expect(await refusalOf(readOnly.send(new AddPermissionCommand({ FunctionName: 'pol-bad', StatementId: 'r', Action: 'lambda:InvokeFunction', Principal: '*' })))).toMatchObject({
        name: 'AccessDeniedException',
        status: 403,
      });
      expect(await refusalOf(readOnly.send(new RemovePermissionCommand({ FunctionName: 'pol-bad', StatementId: 's0' })))).toMatchObject({ name: 'AccessDeniedException' });
      expect(JSON.parse((await readOnly.send(new GetPolicyCommand({ FunctionName: 'pol-bad' }))).Policy ?? '')).toMatchObject({ Id: 'default' });
    } finally {
      readOnly.destroy();
    }
  });
});

describe('ListProvisionedConcurrencyConfigs (@aws-sdk/client-lambda)', () => {
  it('lists the versions and aliases with provisioned concurrency, paged', async () => {
    await createFunction('prov-list');
    await client.send(new PublishVersionCommand({ FunctionName: 'prov-list' }));
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'prov-list', ZipFile: indexJs(ECHO.replace('echo', 'two')), Publish: true }));
    await client.send(new CreateAliasCommand({ FunctionName: 'prov-list', Name: 'live', FunctionVersion: '2' }));
    expect((await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'prov-list' }))).ProvisionedConcurrencyConfigs).toEqual([]);

    await client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'prov-list', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
    await client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'prov-list', Qualifier: 'live', ProvisionedConcurrentExecutions: 2 }));
    const all = await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'prov-list' }));
    expect(all.ProvisionedConcurrencyConfigs?.map((c) => [c.FunctionArn, c.RequestedProvisionedConcurrentExecutions])).toEqual([
      [`${ARN('prov-list')}:1`, 1],
      [`${ARN('prov-list')}:live`, 2],
    ]);
    expect(all.ProvisionedConcurrencyConfigs?.[0]?.Status).toMatch(/^(IN_PROGRESS|READY)$/);
    expect(all.NextMarker).toBeUndefined();

    const first = await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'prov-list', MaxItems: 1 }));
    expect(first.ProvisionedConcurrencyConfigs?.map((c) => c.FunctionArn)).toEqual([`${ARN('prov-list')}:1`]);
    const second = await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'prov-list', MaxItems: 1, Marker: first.NextMarker }));
    expect(second.ProvisionedConcurrencyConfigs?.map((c) => c.FunctionArn)).toEqual([`${ARN('prov-list')}:live`]);
    expect(second.NextMarker).toBeUndefined();

    // Get and Delete name the version or alias by Qualifier too.
    expect(await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'prov-list', Qualifier: 'live' }))).toMatchObject({ RequestedProvisionedConcurrentExecutions: 2 });
    await client.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'prov-list', Qualifier: '1' }));
    const left = await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'prov-list' }));
    expect(left.ProvisionedConcurrencyConfigs?.map((c) => c.FunctionArn)).toEqual([`${ARN('prov-list')}:live`]);

    expect(await refusalOf(client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'prov-list', MaxItems: 51 })))).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(await refusalOf(client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'prov-missing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('features Stratus does not have, answered as Lambda answers a function without them (@aws-sdk/client-lambda)', () => {
  it('code signing, runtime management, recursion and layers', async () => {
    await createFunction('absent');
    expect(await client.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'absent' }))).toMatchObject({ CodeSigningConfigArn: '', FunctionName: 'absent' });
    expect(await refusalOf(client.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'absent-missing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    const csc = 'arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdef0';
    expect(await refusalOf(client.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'absent', CodeSigningConfigArn: csc })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Stratus has no code signing'),
    });
    expect(await refusalOf(client.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: 'absent' })))).toMatchObject({
      message: expect.stringContaining('Stratus has no code signing'),
    });

    expect(await client.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'absent' }))).toMatchObject({ UpdateRuntimeOn: 'Auto', FunctionArn: ARN('absent') });
    expect(await client.send(new PutRuntimeManagementConfigCommand({ FunctionName: 'absent', UpdateRuntimeOn: 'Auto' }))).toMatchObject({ UpdateRuntimeOn: 'Auto' });
    expect(await refusalOf(client.send(new PutRuntimeManagementConfigCommand({ FunctionName: 'absent', UpdateRuntimeOn: 'Manual', RuntimeVersionArn: 'arn:aws:lambda:us-east-1::runtime:x' })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('cannot pin a runtime version'),
    });
    expect(await client.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'absent' }))).toMatchObject({ RecursiveLoop: 'Terminate' });
    // The setting is the function's own --recursive-loop: Allow lets a chain of destinations loop.
    expect(await client.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'absent', RecursiveLoop: 'Allow' }))).toMatchObject({ RecursiveLoop: 'Allow' });
    expect(await client.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'absent' }))).toMatchObject({ RecursiveLoop: 'Allow' });
    expect((await cluster.client.getFunctionEventInvokeConfig('absent')).recursiveLoop).toBe('Allow');
    await client.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'absent', RecursiveLoop: 'Terminate' }));
    expect(await client.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'absent' }))).toMatchObject({ RecursiveLoop: 'Terminate' });
    expect(await refusalOf(client.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'absent', RecursiveLoop: 'Sometimes' as 'Allow' })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('RecursiveLoop'),
    });

    expect((await client.send(new ListLayersCommand({}))).Layers).toEqual([]);
    expect((await client.send(new ListLayerVersionsCommand({ LayerName: 'deps' }))).LayerVersions).toEqual([]);
    expect(await refusalOf(client.send(new GetLayerVersionCommand({ LayerName: 'deps', VersionNumber: 1 })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await client.send(new DeleteLayerVersionCommand({ LayerName: 'deps', VersionNumber: 1 }))).$metadata.httpStatusCode).toBe(204);
    expect(await refusalOf(client.send(new PublishLayerVersionCommand({ LayerName: 'deps', Content: { ZipFile: indexJs(ECHO) } })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Stratus has no layers'),
    });
  });
});

describe('layer permissions and code signing configurations, answered as Lambda answers for ones that do not exist (@aws-sdk/client-lambda)', () => {
  const csc = 'arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdef0';
  const publishers = { SigningProfileVersionArns: ['arn:aws:signer:us-east-1:000000000000:/signing-profiles/p/abcdefghij'] };

  it('lists none, with Lambda’s paging parameters checked', async () => {
    const listed = await client.send(new ListCodeSigningConfigsCommand({ MaxItems: 10 }));
    expect(listed.CodeSigningConfigs).toEqual([]);
    expect(listed.NextMarker).toBeUndefined();
    expect(await refusalOf(client.send(new ListCodeSigningConfigsCommand({ MaxItems: 10_001 })))).toMatchObject({
      name: 'InvalidParameterValueException',
      status: 400,
      message: expect.stringMatching(/^MaxItems: /),
    });
    expect(await refusalOf(client.send(new ListCodeSigningConfigsCommand({ Marker: 'bm90LW1pbmU=' })))).toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringMatching(/^Marker: /) });
  });

  it('answers ResourceNotFoundException naming the layer version or configuration, and refuses to create a configuration', async () => {
    const permission = { LayerName: 'deps', VersionNumber: 3, StatementId: 'share', Action: 'lambda:GetLayerVersion', Principal: '123456789012' };
    const layerMissing = { name: 'ResourceNotFoundException', status: 404, message: expect.stringContaining('arn:aws:lambda:local:000000000000:layer:deps:3') };
    expect(await refusalOf(client.send(new AddLayerVersionPermissionCommand(permission)))).toMatchObject(layerMissing);
    expect(await refusalOf(client.send(new GetLayerVersionPolicyCommand({ LayerName: 'deps', VersionNumber: 3 })))).toMatchObject(layerMissing);
    expect(await refusalOf(client.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'deps', VersionNumber: 3, StatementId: 'share' })))).toMatchObject(layerMissing);
    const byArn = 'arn:aws:lambda:us-east-1:123456789012:layer:shared';
    expect(await refusalOf(client.send(new GetLayerVersionPolicyCommand({ LayerName: byArn, VersionNumber: 1 })))).toMatchObject({ status: 404, message: expect.stringContaining(`${byArn}:1 `) });

    const configMissing = { name: 'ResourceNotFoundException', status: 404, message: expect.stringContaining(csc) };
    expect(await refusalOf(client.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: csc })))).toMatchObject(configMissing);
    expect(await refusalOf(client.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: csc, Description: 'x' })))).toMatchObject(configMissing);
    expect(await refusalOf(client.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: csc })))).toMatchObject(configMissing);
    expect(await refusalOf(client.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: csc })))).toMatchObject(configMissing);

    expect(await refusalOf(client.send(new CreateCodeSigningConfigCommand({ AllowedPublishers: publishers, CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' } })))).toMatchObject({
      name: 'InvalidParameterValueException',
      status: 400,
      message: expect.stringContaining('Stratus has no code signing'),
    });
  });

  it('refuses bad names, ARNs and bodies with InvalidParameterValueException naming the field', async () => {
    const refusedFor = (field: string) => ({ name: 'InvalidParameterValueException', status: 400, message: expect.stringContaining(`${field}: `) });
    const permission = { LayerName: 'deps', VersionNumber: 3, StatementId: 'share', Action: 'lambda:GetLayerVersion', Principal: '123456789012' };
    // Sent one at a time: a request sent before the one ahead of it is awaited would reject with nothing listening yet.
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => client.send(new GetLayerVersionPolicyCommand({ LayerName: 'x'.repeat(141), VersionNumber: 1 })), 'LayerName'],
      [() => client.send(new GetLayerVersionPolicyCommand({ LayerName: 'arn:aws:lambda:us-east-1:123:layer:short-account', VersionNumber: 1 })), 'LayerName'],
      [() => client.send(new AddLayerVersionPermissionCommand({ ...permission, Action: 'lambda:InvokeFunction' })), 'Action'],
      [() => client.send(new AddLayerVersionPermissionCommand({ ...permission, Principal: 'sns.amazonaws.com' })), 'Principal'],
      [() => client.send(new AddLayerVersionPermissionCommand({ ...permission, StatementId: 'has space' })), 'StatementId'],
      [() => client.send(new AddLayerVersionPermissionCommand({ ...permission, OrganizationId: 'org' })), 'OrganizationId'],
      [() => client.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'deps', VersionNumber: 3, StatementId: 's'.repeat(101) })), 'StatementId'],
      [() => client.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: 'csc-0123456789abcdef0' })), 'CodeSigningConfigArn'],
      [() => client.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: `${csc}0` })), 'CodeSigningConfigArn'],
      [() => client.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: csc, MaxItems: 0 })), 'MaxItems'],
      [() => client.send(new CreateCodeSigningConfigCommand({ AllowedPublishers: { SigningProfileVersionArns: [] } })), 'AllowedPublishers.SigningProfileVersionArns'],
      [() => client.send(new CreateCodeSigningConfigCommand({ AllowedPublishers: publishers, Description: 'd'.repeat(257) })), 'Description'],
      [() => client.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: csc, CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Ignore' as 'Warn' } })), 'CodeSigningPolicies.UntrustedArtifactOnDeployment'],
    ];
    for (const [send, field] of cases) expect(await refusalOf(send()), field).toMatchObject(refusedFor(field));
  });
});

describe.skipIf(awsCliMissing)('policies, provisioned lists and absent features (AWS CLI v2)', () => {
  const cli = useAwsCli(() => ({ endpoint, keyId, secret }), { 'fn.zip': indexJs(ECHO) });
  const aws = cli.lambda;

  it('add-permission, get-policy, remove-permission, list-provisioned-concurrency-configs, and the refusals', async () => {
    const created = await aws('create-function', '--function-name', 'cli-pol', '--zip-file', 'fileb://fn.zip', '--handler', 'index.handler', '--runtime', 'nodejs20.x', '--role', 'arn:aws:iam::000000000000:role/x');
    expect(created.stderr).toBe('');

    const added = await aws('add-permission', '--function-name', 'cli-pol', '--statement-id', 'sns', '--action', 'lambda:InvokeFunction', '--principal', 'sns.amazonaws.com', '--source-arn', 'arn:aws:sns:us-east-1:123456789012:topic');
    expect(added.stderr).toBe('');
    expect(JSON.parse((JSON.parse(added.stdout) as { Statement: string }).Statement)).toMatchObject({ Sid: 'sns', Principal: { Service: 'sns.amazonaws.com' } });
    const policy = JSON.parse((await aws('get-policy', '--function-name', 'cli-pol')).stdout) as { Policy: string; RevisionId: string };
    expect(JSON.parse(policy.Policy)).toMatchObject({ Version: '2012-10-17', Statement: [{ Sid: 'sns', Resource: ARN('cli-pol') }] });
    const duplicate = await aws('add-permission', '--function-name', 'cli-pol', '--statement-id', 'sns', '--action', 'lambda:InvokeFunction', '--principal', '*');
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('ResourceConflictException');
    expect((await aws('remove-permission', '--function-name', 'cli-pol', '--statement-id', 'sns', '--revision-id', policy.RevisionId)).code).toBe(0);
    const gone = await aws('get-policy', '--function-name', 'cli-pol');
    expect(gone.stderr).toContain('ResourceNotFoundException');

    expect(JSON.parse((await aws('list-provisioned-concurrency-configs', '--function-name', 'cli-pol')).stdout)).toEqual({ ProvisionedConcurrencyConfigs: [] });
    expect(JSON.parse((await aws('get-function-code-signing-config', '--function-name', 'cli-pol')).stdout)).toEqual({ CodeSigningConfigArn: '', FunctionName: 'cli-pol' });
    const signing = await aws('put-function-code-signing-config', '--function-name', 'cli-pol', '--code-signing-config-arn', 'arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdef0');
    expect(signing.stderr).toMatch(/InvalidParameterValueException.*Stratus has no code signing/);
    expect(JSON.parse((await aws('get-runtime-management-config', '--function-name', 'cli-pol')).stdout)).toMatchObject({ UpdateRuntimeOn: 'Auto' });
    expect(JSON.parse((await aws('list-layers')).stdout)).toEqual({ Layers: [] });
    const layer = await aws('publish-layer-version', '--layer-name', 'deps', '--zip-file', 'fileb://fn.zip');
    expect(layer.stderr).toMatch(/InvalidParameterValueException.*Stratus has no layers/);
    // Each AWS CLI run starts Python (seconds on a loaded CI machine).
  }, 240_000);

  it('layer permissions and code signing configurations: none exist, none can be made', async () => {
    const csc = 'arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdef0';
    expect(JSON.parse((await aws('list-code-signing-configs')).stdout)).toEqual({ CodeSigningConfigs: [] });
    const notFound = (run: { code: number; stderr: string }, naming: string): void => {
      expect(run.code).toBe(254);
      expect(run.stderr).toContain('ResourceNotFoundException');
      expect(run.stderr).toContain(naming);
    };
    notFound(await aws('get-code-signing-config', '--code-signing-config-arn', csc), csc);
    notFound(await aws('update-code-signing-config', '--code-signing-config-arn', csc, '--description', 'x'), csc);
    notFound(await aws('delete-code-signing-config', '--code-signing-config-arn', csc), csc);
    notFound(await aws('list-functions-by-code-signing-config', '--code-signing-config-arn', csc), csc);
    const created = await aws('create-code-signing-config', '--allowed-publishers', 'SigningProfileVersionArns=arn:aws:signer:us-east-1:000000000000:/signing-profiles/p/abcdefghij');
    expect(created.stderr).toMatch(/InvalidParameterValueException.*Stratus has no code signing/);
    const badArn = await aws('get-code-signing-config', '--code-signing-config-arn', 'csc-0123456789abcdef0');
    expect(badArn.stderr).toMatch(/InvalidParameterValueException.*CodeSigningConfigArn: /);

    const layer = 'arn:aws:lambda:local:000000000000:layer:deps:2';
    notFound(await aws('add-layer-version-permission', '--layer-name', 'deps', '--version-number', '2', '--statement-id', 'share', '--action', 'lambda:GetLayerVersion', '--principal', '*'), layer);
    notFound(await aws('get-layer-version-policy', '--layer-name', 'deps', '--version-number', '2'), layer);
    notFound(await aws('remove-layer-version-permission', '--layer-name', 'deps', '--version-number', '2', '--statement-id', 'share'), layer);
    const badAction = await aws('add-layer-version-permission', '--layer-name', 'deps', '--version-number', '2', '--statement-id', 'share', '--action', 'lambda:InvokeFunction', '--principal', '*');
    expect(badAction.stderr).toMatch(/InvalidParameterValueException.*Action: /);
  }, 240_000);
});
