import { describe, expect, it } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { randomNamespacePrefix } from '../src/index.js';

describe('randomNamespacePrefix', () => {
  it('gives prefixes createNamespace accepts, different each time', () => {
    const prefixes = Array.from({ length: 50 }, () => randomNamespacePrefix());
    for (const prefix of prefixes) {
      expect(prefix).toMatch(/^t[a-z0-9]{8}$/);
      expect(createNamespace(prefix).prefix).toBe(prefix);
    }
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
