import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../src/log-buffer.js';
import type { InvocationOutcome } from '../src/index.js';
import { invoke, useEnvironments } from './fixtures.js';

/** An outcome's log as a reader sees it: lines grouped into events by its spans, each event without its timestamp prefix. */
function events(outcome: InvocationOutcome): string[] {
  const lines = outcome.logs.split('\n');
  lines.pop();
  const spans = outcome.logEventSpans ?? [];
  const out: string[] = [];
  let span = 0;
  for (let line = 0; line < lines.length; ) {
    const count = spans[span] === line ? (spans[span + 1] as number) : 1;
    if (count > 1) span += 2;
    out.push(lines.slice(line, line + count).join('\n').replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z\t[^\t]*\t/, ''));
    line += count;
  }
  return out;
}

describe('log events', () => {
  const create = useEnvironments();

  it('keeps each console call one event, newlines and all, and every platform line and stdout line one of its own', async () => {
    const env = await create(`
      console.log('loading\\nmodule');
      export const handler = async () => {
        console.log('one');
        console.info('two\\nlines');
        process.stdout.write('raw a\\nraw b\\n');
        console.error(new Error('boom'));
        console.log('last');
        return 1;
      };`);
    const cold = events(await invoke(env));
    expect(cold[0]).toMatch(/^INIT_START Runtime Version: /);
    expect(cold[1]).toBe('INFO\tloading\nmodule');
    expect(cold[2]).toMatch(/^START RequestId: req-\d+ Version: \$LATEST$/);
    expect(cold.slice(3, 7)).toEqual(['INFO\tone', 'INFO\ttwo\nlines', 'raw a', 'raw b']);
    expect(cold[7]).toMatch(/^ERROR\tError: boom\n {4}at /);
    expect(cold[8]).toBe('INFO\tlast');
    expect(cold[9]).toMatch(/^END RequestId: /);
    expect(cold[10]).toMatch(/^REPORT RequestId: /);
    expect(cold).toHaveLength(11);

    const warm = await invoke(env);
    expect(events(warm).slice(0, 3)).toEqual([expect.stringMatching(/^START /), 'INFO\tone', 'INFO\ttwo\nlines']);
  });

  it('gives no spans when every line is an event, as in the JSON format, where a record never spans lines', async () => {
    const script = `export const handler = async () => { console.log('a\\nb'); console.error(new Error('x')); return 1; };`;
    const json = await invoke(await create(script, { logFormat: 'JSON' }));
    expect(json.logEventSpans).toBeUndefined();
    expect(json.logs.split('\n').filter((line) => line.includes('"level"')).map((line) => (JSON.parse(line) as { message: unknown }).message)).toEqual([
      'a\nb',
      expect.objectContaining({ errorType: 'Error', errorMessage: 'x' }),
    ]);
    const text = await invoke(await create(`export const handler = async () => { console.log('single'); return 1; };`));
    expect(text.logEventSpans).toBeUndefined();
  });

  it('returns the tail as Lambda does: the plain text of the log, framing or not', async () => {
    const env = await create(`export const handler = async () => { console.log('x\\ny'); return 1; };`);
    const outcome = await invoke(env, {}, true);
    expect(outcome.logEventSpans).toBeDefined();
    expect(Buffer.from(outcome.logTail ?? '', 'base64').toString()).toBe(outcome.logs);
  });
});

describe('LogBuffer', () => {
  it('ignores spans an isolate got wrong: its lines stay one event each, the others keep theirs', () => {
    const buffer = new LogBuffer(1024);
    buffer.addChunk('a\nb\n', 0, '0,5');
    buffer.addChunk('c\nd\ne\n', 0, '1,2');
    buffer.add('f\ng');
    expect(buffer.text()).toBe('a\nb\nc\nd\ne\nf\ng\n');
    expect(buffer.eventSpans()).toEqual([3, 2, 5, 2]);
  });

  it('does not parse spans far longer than the text they frame', () => {
    const buffer = new LogBuffer(1024);
    buffer.addChunk('a\nb\n', 0, `0,2${',9,9'.repeat(100)}`);
    expect(buffer.eventSpans()).toEqual([]);
  });

  it('cuts the spans of a chunk cut at the limit to the lines it keeps', () => {
    const buffer = new LogBuffer(12);
    buffer.addChunk('a\nb\ncc\ndd\nee\n', 0, '0,2,2,3');
    expect(buffer.text()).toBe('a\nb\ncc\ndd\n[stratus] 1 log lines dropped: more than 12 bytes of logs\n');
    expect(buffer.eventSpans()).toEqual([0, 2, 2, 2]);
  });
});
