import { describe, expect, it } from 'vitest';
import type { FunctionConfigurationMessage, GetUsageResponseMessage, NodeStatusMessage } from '@stratus/contracts/grpc';
import type { InvokeResult } from '@stratus/client';
import { describeFunction, formatBytes, functionsTable, invokeJson, nodesTable, toJson, usageTable } from '../src/output.js';

const fn: FunctionConfigurationMessage = {
  functionName: 'hello',
  functionArn: 'arn:aws:lambda:local:000000000000:function:hello',
  runtime: 'nodejs20.x',
  handler: 'index.handler',
  memorySizeMb: 128,
  timeoutSec: 3,
  environment: { B: '2', A: '1' },
  description: '',
  codeSha256: 'q1w2e3=',
  codeSize: 2048,
  version: '$LATEST',
  lastModified: '2024-05-01T10:00:00.000Z',
  revision: 4,
  hasReservedConcurrency: false,
  reservedConcurrency: 0,
  ephemeralStorageMb: 512,
  deployWarnings: [],
  egress: null,
  loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'WARN', logGroup: '/aws/lambda/hello' },
  tags: { team: 'payments', app: 'shop' },
};

const lines = (text: string): string[] => text.trimEnd().split('\n');
const cells = (line: string | undefined): string[] => (line ?? '').trim().split(/\s{2,}/);

describe('output', () => {
  it('describes a function as aligned key/value lines, leaving out empty values', () => {
    const text = describeFunction(fn);
    expect(text).toContain('handler            index.handler\n');
    expect(text).toContain('memory             128 MB\n');
    expect(text).toContain('timeout            3 s\n');
    expect(text).toContain('ephemeral storage  512 MB\n');
    expect(text).toContain('code sha256        q1w2e3=\n');
    expect(text).toContain('code size          2.0 KiB\n');
    expect(text).toContain('last modified      2024-05-01T10:00:00.000Z\n');
    expect(text).toContain('environment        A=1 B=2\n');
    expect(text).not.toContain('description');
    expect(text).toContain('logging            JSON, application INFO, system WARN, group /aws/lambda/hello\n');
    expect(text).toContain('tags               app=shop team=payments\n');
  });

  it('lists functions in a table without borders or colours', () => {
    const out = functionsTable([fn, { ...fn, functionName: 'other', memorySizeMb: 1024 }]);
    expect(out).not.toContain('\u001b[');
    const [head, first, second] = lines(out);
    expect(cells(head)).toEqual(['NAME', 'HANDLER', 'MEMORY', 'TIMEOUT', 'CODE SIZE', 'LAST MODIFIED']);
    expect(cells(first)).toEqual(['hello', 'index.handler', '128 MB', '3 s', '2.0 KiB', '2024-05-01T10:00:00.000Z']);
    expect(cells(second)?.[2]).toBe('1024 MB');
  });

  it('shows nodes with memory and in-flight against their limits', () => {
    const node: NodeStatusMessage = {
      nodeId: 'node-1',
      host: 'box',
      pid: 4242,
      memoryBudgetMb: 2048,
      memoryUsedMb: 256,
      maxInFlight: 64,
      inFlight: 3,
      warmIsolates: 5,
      functions: [{ functionName: 'hello', version: '$LATEST', busy: 2, idle: 3 }],
      registeredAtMs: 0,
      lastHeartbeatMs: 0,
      state: 'ready',
    };
    const [head, row] = lines(nodesTable([node]));
    expect(cells(head)).toEqual(['NODE', 'HOST', 'PID', 'STATE', 'MEMORY USED/BUDGET', 'IN-FLIGHT/MAX', 'WARM ISOLATES', 'ISOLATES BY FUNCTION (BUSY/IDLE)']);
    expect(cells(row)).toEqual(['node-1', 'box', '4242', 'ready', '256/2048 MB', '3/64', '5', 'hello 2/3']);
  });

  it('shows usage with cost to 8 decimals and a total row', () => {
    const usage: GetUsageResponseMessage = {
      functions: [
        { functionName: 'a', requests: 3, billedMs: 7, durationMs: 6.2, gbSeconds: 0.000875, costUsd: 0.0000006583, errors: 0, coldStarts: 1 },
        { functionName: 'b', requests: 1, billedMs: 2, durationMs: 1.1, gbSeconds: 0.00025, costUsd: 0.0000002042, errors: 1, coldStarts: 1 },
      ],
      total: null,
      appliedThroughSequence: 4,
    };
    const [head, a, b, total] = lines(usageTable(usage));
    expect(cells(head)).toEqual(['FUNCTION', 'REQUESTS', 'BILLED MS', 'GB-SECONDS', 'COST USD', 'WARM']);
    expect(cells(a)).toEqual(['a', '3', '7', '0.000875', '0.00000066', '66.7%']);
    expect(cells(b)).toEqual(['b', '1', '2', '0.000250', '0.00000020', '0.0%']);
    expect(cells(total)).toEqual(['TOTAL', '4', '9', '0.001125', '0.00000086', '50.0%']);

    const withTotal = usageTable({ ...usage, total: { ...usage.functions[0]!, functionName: '', requests: 99 } });
    expect(cells(lines(withTotal).at(-1))[1]).toBe('99');
  });

  it('prints JSON with bytes as base64 and an invoke result with its payload parsed', () => {
    expect(JSON.parse(toJson({ zip: Buffer.from('hi') }))).toEqual({ zip: 'aGk=' });
    const result = {
      statusCode: 200,
      payload: Buffer.from('{"ok":true}'),
      payloadText: '{"ok":true}',
      functionError: '',
      executedVersion: '$LATEST',
      logResult: Buffer.from('hello\n').toString('base64'),
      logText: 'hello\n',
      requestId: 'r1',
      durationMs: 1.25,
      billedDurationMs: 2,
      initDurationMs: 0,
      coldStart: false,
      nodeId: 'n1',
      report: 'REPORT RequestId: r1',
    } satisfies InvokeResult;
    const json = JSON.parse(toJson(invokeJson(result))) as Record<string, unknown>;
    expect(json).toMatchObject({ statusCode: 200, payload: { ok: true }, log: 'hello\n', requestId: 'r1', billedDurationMs: 2 });
    expect(json).not.toHaveProperty('payloadText');
  });

  it('formats byte counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });
});
