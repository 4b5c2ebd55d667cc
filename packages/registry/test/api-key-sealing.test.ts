import { describe, expect, it } from 'vitest';
import { apiKeyRecordFor, generateApiKey, generateApiKeySealingKeyText, openApiKeySecret, parseApiKeySealingKey, verifyApiKeySecret } from '../src/index.js';

describe('API key sealing', () => {
  it('seals a new key so the sealing key, and only it, gives the secret back', () => {
    const sealing = parseApiKeySealingKey(generateApiKeySealingKeyText(), 'test');
    const credential = generateApiKey();
    const record = apiKeyRecordFor(credential, ['invoke'], { sealingKey: sealing });
    expect(record.sealedSecret).toBeDefined();
    expect(JSON.stringify(record)).not.toContain(credential.secret);
    expect(verifyApiKeySecret(record, credential.secret)).toBe(true);
    expect(openApiKeySecret(sealing, record)).toEqual({ secret: credential.secret });

    const other = parseApiKeySealingKey(generateApiKeySealingKeyText(), 'other');
    expect(openApiKeySecret(other, record)).toEqual({ problem: expect.stringContaining('another sealing key') as unknown });
    // A sealed secret copied onto another key id does not open: the key id is the cipher's associated data.
    const moved = { ...record, keyId: generateApiKey().keyId };
    expect(openApiKeySecret(sealing, moved)).toEqual({ problem: 'its sealed secret does not open' });
    expect(openApiKeySecret(sealing, apiKeyRecordFor(credential, ['invoke']))).toEqual({ problem: expect.stringContaining('made without a sealing key') as unknown });
  });

  it('refuses a sealing key file that is not base64 of 32 bytes, naming the file', () => {
    expect(() => parseApiKeySealingKey('not a key', '/etc/stratus/api-key-sealing.key')).toThrow(/\/etc\/stratus\/api-key-sealing.key: an API key sealing key is base64 text of 32 random bytes/);
    expect(() => parseApiKeySealingKey(Buffer.alloc(16).toString('base64'), 'short.key')).toThrow(/short.key: an API key sealing key is 32 bytes, this one 16/);
  });
});
