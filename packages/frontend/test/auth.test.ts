import { describe, expect, it } from 'vitest';
import { API_KEY_SCOPES, scopesAllow } from '@stratus/contracts';
import { loadStratusApi } from '@stratus/contracts/grpc';
import { apiKeyRecordFor, generateApiKey } from '@stratus/registry';
import { METHOD_SCOPES, VerifiedSecrets } from '../src/auth.js';

describe('the method-to-scope table', () => {
  it('gives every RPC of the API a scope, and names no RPC that does not exist', () => {
    const api = loadStratusApi();
    const paths = Object.values(api.services).flatMap((service) => Object.values(service.service).map((method) => method.path));
    expect(paths).toContain('/stratus.v1.Keys/RevokeKey');
    expect(Object.keys(METHOD_SCOPES).sort()).toEqual([...paths].sort());
  });

  it('needs admin to manage keys or change concurrency, and lets admin do everything', () => {
    expect(METHOD_SCOPES['/stratus.v1.Keys/CreateKey']).toBe('admin');
    expect(METHOD_SCOPES['/stratus.v1.Concurrency/PutFunctionConcurrency']).toBe('admin');
    expect(METHOD_SCOPES['/stratus.v1.Invoker/Invoke']).toBe('invoke');
    for (const scope of API_KEY_SCOPES) expect(scopesAllow(['admin'], scope)).toBe(true);
    expect(scopesAllow(['invoke', 'read'], 'deploy')).toBe(false);
    expect(scopesAllow(['deploy'], 'read')).toBe(false);
  });
});

describe('checking API key secrets', () => {
  it('accepts the right secret every time, and refuses a wrong one even after the right one was remembered', () => {
    const secrets = new VerifiedSecrets();
    const credential = generateApiKey();
    const record = apiKeyRecordFor(credential, ['invoke']);
    expect(secrets.verify(record, credential.secret)).toBe(true);
    expect(secrets.verify(record, credential.secret)).toBe(true);
    const wrong = `${credential.secret.slice(0, -1)}${credential.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(secrets.verify(record, wrong)).toBe(false);
    expect(secrets.verify(record, '')).toBe(false);
    expect(secrets.verify(record, credential.secret)).toBe(true);
  });

  it('checks a key written again under the same id afresh: the old secret no longer opens it', () => {
    const secrets = new VerifiedSecrets();
    const old = generateApiKey();
    expect(secrets.verify(apiKeyRecordFor(old, ['invoke']), old.secret)).toBe(true);
    const renewed = apiKeyRecordFor({ keyId: old.keyId, secret: generateApiKey().secret }, ['invoke']);
    expect(secrets.verify(renewed, old.secret)).toBe(false);
  });
});
