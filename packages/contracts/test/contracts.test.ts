import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { createNamespace, functionSettingsSchema, parseHandler, parseOrThrow } from '../src/index.js';

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
      runtime: 'nodejs20.x',
    });
  });

  it('lets a function set the AWS credential variables, which Lambda fills from a role Stratus does not have', () => {
    const credentials = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' };
    expect(parseOrThrow(functionSettingsSchema, { environment: credentials }, 'configuration').environment).toEqual(credentials);
    expect(() => parseOrThrow(functionSettingsSchema, { environment: { AWS_LAMBDA_RUNTIME_API: 'x' } }, 'configuration')).toThrow('environment.AWS_LAMBDA_RUNTIME_API: is reserved');
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
