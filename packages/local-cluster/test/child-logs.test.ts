import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createChildLogSink } from '../src/child-logs.js';

function collectingLogger(level: string): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('createChildLogSink', () => {
  it('re-emits a JSON line through the parent logger at its level, tagged with its source', () => {
    const { log, lines } = collectingLogger('info');
    const sink = createChildLogSink({ log, pretty: false, destination: new Collect() });
    sink.line({ service: 'node', nodeId: 'node-1' }, 'stdout', JSON.stringify({ level: 40, time: 1, pid: 99, hostname: 'h', msg: 'slow', fn: 'f' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'slow', fn: 'f', service: 'node', nodeId: 'node-1', pid: process.pid });
  });

  it("applies the parent's level", () => {
    const { log, lines } = collectingLogger('warn');
    const sink = createChildLogSink({ log, pretty: false, destination: new Collect() });
    sink.line({ service: 'billing' }, 'stdout', JSON.stringify({ level: 30, msg: 'routine' }));
    expect(lines).toEqual([]);
  });

  it('passes on lines that are not JSON, stderr as warnings', () => {
    const { log, lines } = collectingLogger('info');
    const sink = createChildLogSink({ log, pretty: false, destination: new Collect() });
    sink.line({ service: 'frontend' }, 'stderr', 'TypeError: boom');
    expect(lines[0]).toMatchObject({ level: 40, msg: 'TypeError: boom', service: 'frontend', stream: 'stderr' });
  });

  it('pretty-prints with the source as the name', () => {
    const { log } = collectingLogger('info');
    const out = new Collect();
    const sink = createChildLogSink({ log, pretty: true, destination: out });
    sink.line({ service: 'node', nodeId: 'node-2' }, 'stdout', JSON.stringify({ level: 30, time: 1, msg: 'ready' }));
    sink.line({ service: 'node', nodeId: 'node-2' }, 'stderr', 'plain text');
    expect(out.text).toMatch(/INFO.*node-2.*ready/);
    expect(out.text).toContain('[node-2] plain text');
  });

  it('tells a second frontend from the first', () => {
    const { log, lines } = collectingLogger('info');
    const sink = createChildLogSink({ log, pretty: false, destination: new Collect() });
    sink.line({ service: 'frontend' }, 'stdout', JSON.stringify({ level: 30, msg: 'one' }));
    sink.line({ service: 'frontend', instance: 'frontend-2' }, 'stdout', JSON.stringify({ level: 30, msg: 'two' }));
    expect(lines.map((line) => [line['msg'], line['instance']])).toEqual([
      ['one', undefined],
      ['two', 'frontend-2'],
    ]);
    const out = new Collect();
    createChildLogSink({ log, pretty: true, destination: out }).line({ service: 'frontend', instance: 'frontend-2' }, 'stderr', 'plain text');
    expect(out.text).toContain('[frontend-2] plain text');
  });
});
