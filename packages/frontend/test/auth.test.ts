import { describe, expect, it } from 'vitest';
import { API_KEY_SCOPES, scopesAllow } from '@stratus/contracts';
import { loadStratusApi } from '@stratus/contracts/grpc';
import { METHOD_SCOPES } from '../src/auth.js';

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
