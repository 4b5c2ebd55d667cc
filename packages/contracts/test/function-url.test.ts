import { describe, expect, it } from 'vitest';
import { FUNCTION_URL_ID_PATTERN, functionUrlConfigSchema, functionUrlIdOfHost, newFunctionUrlId } from '../src/index.js';

const ID = 'abcdefghijklmnopqrstuvwxyz012345';

describe('function URL ids', () => {
  it('are 32 lower-case letters and digits, different each time', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newFunctionUrlId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(FUNCTION_URL_ID_PATTERN);
  });

  it('are optional in a stored URL config, and refused when malformed', () => {
    const base = { authType: 'NONE', createdAt: 'x', lastModifiedAt: 'x' };
    expect(functionUrlConfigSchema.safeParse(base).success).toBe(true);
    expect(functionUrlConfigSchema.safeParse({ ...base, urlId: ID }).success).toBe(true);
    expect(functionUrlConfigSchema.safeParse({ ...base, urlId: ID.toUpperCase() }).success).toBe(false);
    expect(functionUrlConfigSchema.safeParse({ ...base, urlId: `${ID}0` }).success).toBe(false);
  });
});

describe('functionUrlIdOfHost', () => {
  it("finds the id in Lambda's form, any region, port or case", () => {
    expect(functionUrlIdOfHost(`${ID}.lambda-url.us-east-1.on.aws`)).toBe(ID);
    expect(functionUrlIdOfHost(`${ID}.lambda-url.local.on.aws:9000`)).toBe(ID);
    expect(functionUrlIdOfHost(`${ID.toUpperCase()}.LAMBDA-URL.EU-WEST-1.ON.AWS`)).toBe(ID);
  });

  it("finds the id under the cluster's own domain only when one is set", () => {
    expect(functionUrlIdOfHost(`${ID}.fn.example.com`, 'fn.example.com')).toBe(ID);
    expect(functionUrlIdOfHost(`${ID}.fn.example.com:8080`, 'FN.example.com')).toBe(ID);
    expect(functionUrlIdOfHost(`${ID}.fn.example.com`)).toBeUndefined();
    expect(functionUrlIdOfHost(`${ID}.x.fn.example.com`, 'fn.example.com')).toBeUndefined();
  });

  it('names no id for anything else', () => {
    for (const host of [
      '127.0.0.1:9000',
      'localhost',
      `${ID.slice(1)}.lambda-url.x`,
      `${ID}0.lambda-url.x`,
      `${ID}.lambda-urlx.y`,
      `${ID}.lambda-url`,
      `${'-'.repeat(32)}.lambda-url.x`,
      `x${ID}.lambda-url.x`,
      `[::1]:9000`,
      '',
    ]) {
      expect(functionUrlIdOfHost(host), host).toBeUndefined();
    }
  });
});
