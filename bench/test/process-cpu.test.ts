import { describe, expect, it } from 'vitest';
import { parseStatCpuMs } from '../src/process-cpu.js';

describe('/proc CPU', () => {
  it('reads utime + stime, also when the command name holds spaces and parentheses', () => {
    const stat = '1234 (node (my app)) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 100 0 0';
    expect(parseStatCpuMs(stat)).toBe(3000);
  });
});
