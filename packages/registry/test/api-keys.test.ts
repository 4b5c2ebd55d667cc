import { describe, expect, it } from 'vitest';
import { API_KEY_ID_PATTERN, API_KEY_SECRET_PATTERN, apiKeyRecordSchema, formatApiKey, parseApiKey } from '@stratus/contracts';
import { apiKeyRecordFor, generateApiKey, verifyApiKeySecret } from '../src/index.js';

describe('API keys', () => {
  it('are a key id and a secret an AWS client would take as an access key pair', () => {
    const key = generateApiKey();
    expect(key.keyId).toMatch(API_KEY_ID_PATTERN);
    expect(key.keyId).toHaveLength(20);
    expect(key.secret).toMatch(API_KEY_SECRET_PATTERN);
    expect(parseApiKey(` ${formatApiKey(key)}\n`)).toEqual(key);
    expect(generateApiKey().keyId).not.toBe(key.keyId);
  });

  it('store no secret, only a salted hash that accepts the secret and nothing else', () => {
    const key = generateApiKey();
    const record = apiKeyRecordFor(key, ['invoke']);
    expect(apiKeyRecordSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(JSON.stringify(record)).not.toContain(key.secret);
    expect(verifyApiKeySecret(record, key.secret)).toBe(true);
    expect(verifyApiKeySecret(record, generateApiKey().secret)).toBe(false);
    expect(verifyApiKeySecret(record, '')).toBe(false);
    // Salted: the same key stored twice does not look the same.
    expect(apiKeyRecordFor(key, ['invoke']).secretHash).not.toBe(record.secretHash);
  });

  it('bind the hash to its key id, so a record copied under another id does not verify', () => {
    const key = generateApiKey();
    const record = apiKeyRecordFor(key, ['admin']);
    expect(verifyApiKeySecret({ ...record, keyId: generateApiKey().keyId }, key.secret)).toBe(false);
  });

  it.each(['', 'nodot', `SKAAAAAAAAAAAAAAAAAA.short`, `sk${'A'.repeat(18)}.${'a'.repeat(40)}`, `SK${'A'.repeat(18)}.${'a'.repeat(39)}!`])(
    'rejects %j as a credential',
    (text) => {
      expect(parseApiKey(text)).toBeUndefined();
    },
  );
});
