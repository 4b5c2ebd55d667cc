import { describe, expect, it } from 'vitest';
import { invoke, parsed, useEnvironments } from './fixtures.js';

/**
 * (module (memory (export "mem") 1) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)):
 * a memory the module defines itself, without a maximum, grown by the memory.grow instruction.
 */
const GROWING_MODULE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01,
  0x07, 0x0e, 0x02, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x00,
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b,
];

const SCRIPT = `
const moduleBytes = new Uint8Array(${JSON.stringify(GROWING_MODULE)});
const MB = 1024 * 1024;
export const handler = async (event) => {
  const hoard = [];
  switch (event.mode) {
    case 'memory': {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
      for (;;) { memory.grow(256); new Uint8Array(memory.buffer).fill(1); }
    }
    case 'array-buffers':
      for (;;) hoard.push(new Uint8Array(16 * MB).fill(1));
    case 'resizable':
      return new ArrayBuffer(0, { maxByteLength: 1024 * MB }).maxByteLength;
    case 'instruction': {
      const { instance } = await WebAssembly.instantiate(moduleBytes);
      let pages = 1;
      while (instance.exports.grow(256) !== -1) pages += 256;
      new Uint8Array(instance.exports.mem.buffer).fill(1);
      return { mb: instance.exports.mem.buffer.byteLength / MB, pages };
    }
    case 'instantiate': {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes));
      return instance.exports.grow(16);
    }
    case 'small': {
      const memory = new WebAssembly.Memory({ initial: 16, maximum: 64 });
      memory.grow(16);
      return { mb: memory.buffer.byteLength / MB, same: memory.constructor === WebAssembly.Memory && new Uint8Array(2).constructor === Uint8Array };
    }
  }
  return 'unknown mode';
};`;

describe('memory beyond the V8 heap', () => {
  const create = useEnvironments();

  for (const mode of ['memory', 'array-buffers', 'resizable']) {
    it(`ends a function that grows ${mode} past its 128 MB as Runtime.OutOfMemory, and the next environment works`, async () => {
      const env = await create(SCRIPT, { memoryMb: 128, timeoutMs: 20_000 });
      const outcome = await invoke(env, { mode });
      expect(outcome.outcome).toBe('crashed');
      expect(parsed(outcome)).toMatchObject({ errorType: 'Runtime.OutOfMemory' });
      expect(outcome.report).toContain('Error Type: Runtime.OutOfMemory');
      expect(env.usable).toBe(false);

      const fresh = await create(SCRIPT, { memoryMb: 128 });
      expect(parsed(await invoke(fresh, { mode: 'small' }))).toEqual({ mb: 2, same: true });
    });
  }

  it('caps a memory a module defines without a maximum, even when grown by the memory.grow instruction', async () => {
    const env = await create(SCRIPT, { memoryMb: 128, timeoutMs: 20_000 });
    const outcome = await invoke(env, { mode: 'instruction' });
    expect(outcome.outcome).toBe('success');
    const { mb } = parsed(outcome) as { mb: number };
    // Room is left for the JavaScript heap: 128 MB less 32 MB.
    expect(mb).toBeLessThanOrEqual(96);
    expect(mb).toBeGreaterThan(64);
  });

  it('gives the reservation of an instance nobody holds back, so each invocation can instantiate again', async () => {
    const env = await create(SCRIPT, { memoryMb: 128 });
    for (let i = 0; i < 4; i++) {
      const outcome = await invoke(env, { mode: 'instantiate' });
      expect(parsed(outcome)).toBe(1);
    }
    expect(env.usable).toBe(true);
  });
});
