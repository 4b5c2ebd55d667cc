import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { assertNoReservedEnvironment, createNamespace, functionSettingsSchema, parseHandler, parseOrThrow } from '../src/index.js';

describe('parseHandler', () => {
  it('splits like the Lambda Node.js runtime', () => {
    expect(parseHandler('index.handler')).toEqual({ modulePath: 'index', exportPath: ['handler'] });
    expect(parseHandler('src/app.handler')).toEqual({ modulePath: 'src/app', exportPath: ['handler'] });
    expect(parseHandler('lib/a.b/mod.nested.fn')).toEqual({ modulePath: 'lib/a.b/mod', exportPath: ['nested', 'fn'] });
  });

  it.each(['index', '.handler', 'index.', 'index..x'])('rejects %j as a malformed handler name', (handler) => {
    let caught: unknown;
    try {
      parseHandler(handler);
    } catch (err) {
      caught = err;
    }
    expect(hasCode(caught, 'INVALID_ARGUMENT')).toBe(true);
    expect((caught as { details: Record<string, string> }).details['errorType']).toBe('Runtime.MalformedHandlerName');
  });
});

describe('function settings', () => {
  it("fills Lambda's defaults", () => {
    expect(parseOrThrow(functionSettingsSchema, {}, 'configuration')).toEqual({
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSec: 3,
      ephemeralStorageMb: 512,
      environment: {},
      description: '',
      egress: { mode: 'public', allow: [] },
      logging: { logFormat: 'Text' },
      tags: {},
      runtime: 'nodejs20.x',
    });
  });

  it('lets a function set the AWS credential variables, which Lambda fills from a role Stratus does not have', () => {
    const credentials = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' };
    expect(parseOrThrow(functionSettingsSchema, { environment: credentials }, 'configuration').environment).toEqual(credentials);
    expect(() => parseOrThrow(functionSettingsSchema, { environment: { AWS_LAMBDA_RUNTIME_API: 'x' } }, 'configuration')).toThrow('environment.AWS_LAMBDA_RUNTIME_API: is reserved');
  });

  it("refuses a reserved environment variable with Lambda's message, naming every one", () => {
    expect(() => assertNoReservedEnvironment({ A: '1', AWS_REGION: 'x', LAMBDA_RUNTIME_DIR: 'y' })).toThrow(
      'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys ' +
        'that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, LAMBDA_RUNTIME_DIR',
    );
    // Lambda lets a function set these.
    expect(() => assertNoReservedEnvironment({ TZ: 'Europe/Paris', LANG: 'C', NODE_PATH: '/opt', PATH: '/bin' })).not.toThrow();
  });

  it('resolves loggingConfig as Lambda does: levels default to INFO with JSON and exist only with JSON', () => {
    const logging = (value: unknown): unknown => parseOrThrow(functionSettingsSchema, { logging: value }, 'configuration').logging;
    expect(logging({ logFormat: 'JSON' })).toEqual({ logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'INFO' });
    expect(logging({ logFormat: 'JSON', applicationLogLevel: 'ERROR', systemLogLevel: 'WARN', logGroup: '/custom/group' })).toEqual({
      logFormat: 'JSON',
      applicationLogLevel: 'ERROR',
      systemLogLevel: 'WARN',
      logGroup: '/custom/group',
    });
    expect(logging({})).toEqual({ logFormat: 'Text' });
    expect(() => logging({ logFormat: 'Text', applicationLogLevel: 'DEBUG' })).toThrow('logging.applicationLogLevel: is supported only with logFormat JSON');
    expect(() => logging({ logFormat: 'XML' })).toThrow('logging.logFormat: must be "Text" or "JSON"');
    expect(() => logging({ logFormat: 'JSON', applicationLogLevel: 'VERBOSE' })).toThrow('logging.applicationLogLevel: must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL');
    expect(() => logging({ logFormat: 'JSON', systemLogLevel: 'ERROR' })).toThrow('logging.systemLogLevel: must be one of DEBUG, INFO, WARN');
    expect(() => logging({ logGroup: 'has space' })).toThrow('logging.logGroup: may contain only letters, digits and . - _ / #');
  });

  it("checks tags by Lambda's rules, naming the tag", () => {
    const tags = (value: unknown): unknown => parseOrThrow(functionSettingsSchema, { tags: value }, 'configuration').tags;
    expect(tags({ team: 'payments', 'cost-center': 'a/b:c=d+e@f' })).toEqual({ team: 'payments', 'cost-center': 'a/b:c=d+e@f' });
    expect(() => tags({ 'aws:created': 'x' })).toThrow('tags.aws:created: tag keys starting with "aws:" are reserved');
    expect(() => tags({ ['k'.repeat(129)]: 'x' })).toThrow('a tag key must be 1 to 128 characters');
    expect(() => tags({ k: 'v'.repeat(257) })).toThrow('tags.k: a tag value must be at most 256 characters');
    expect(() => tags({ 'semi;colon': 'x' })).toThrow('a tag key may contain only letters');
    expect(() => tags(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])))).toThrow('51 tags; the limit is 50');
  });

  it('names the bad field and the limit', () => {
    expect(() => parseOrThrow(functionSettingsSchema, { memoryMb: 64 }, 'configuration')).toThrow('memoryMb: must be at least 128 MB');
    expect(() => parseOrThrow(functionSettingsSchema, { timeoutSec: 901 }, 'configuration')).toThrow('timeoutSec: must be at most 900 seconds');
    expect(() => parseOrThrow(functionSettingsSchema, { environment: { AWS_REGION: 'x' } }, 'configuration')).toThrow('environment.AWS_REGION: is reserved');
    expect(() => parseOrThrow(functionSettingsSchema, { environment: { BIG: 'x'.repeat(5000) } }, 'configuration')).toThrow('the limit is 4096');
    expect(() => parseOrThrow(functionSettingsSchema, { runtime: 'python3.12' }, 'configuration')).toThrow('nodejs20.x');
    expect(() => parseOrThrow(functionSettingsSchema, { ephemeralStorageMb: 511 }, 'configuration')).toThrow('ephemeralStorageMb: must be at least 512 MB');
    expect(() => parseOrThrow(functionSettingsSchema, { ephemeralStorageMb: 10_241 }, 'configuration')).toThrow('ephemeralStorageMb: must be at most 10240 MB');
    expect(() => parseOrThrow(functionSettingsSchema, { ephemeralStorageMb: 600.5 }, 'configuration')).toThrow('ephemeralStorageMb');
  });
});

describe('namespace', () => {
  it('builds every name from one prefix, so tests can isolate themselves', () => {
    const ns = createNamespace('t1abc');
    expect(ns.subjects.nodeInvoke('node-1')).toBe('t1abc.node.node-1.invoke');
    expect(ns.keys.function('hello')).toBe('/t1abc/functions/hello');
    expect(ns.streams.usage).toBe('T1ABC_USAGE');
    expect(ns.streams.logs).toBe('T1ABC_LOGS');
    expect(ns.subjects.functionLogs('hello')).toBe('t1abc.logs.hello');
    expect(ns.subjects.allFunctionLogs()).toBe('t1abc.logs.>');
    // A node's usage batches and its older single records both name it, and both fall under the usage stream's subject.
    expect(ns.subjects.usageBatch('node-1')).toBe('t1abc.usage.node-1');
    expect(ns.subjects.usageRecordNodeId(ns.subjects.usageBatch('node-1'))).toBe('node-1');
    expect(ns.subjects.usageRecordNodeId(ns.subjects.usageRecord('node-2', 'hello'))).toBe('node-2');
    expect(ns.subjects.usageRecordNodeId('t1abc.usage.node-1.hello.extra')).toBeUndefined();
    expect(() => ns.subjects.nodeInvoke('a.b')).toThrow();
    expect(() => createNamespace('Bad Prefix')).toThrow();
  });
});
