// Node's crypto beyond hashes as the isolate reaches it (the `stratus:host` module the bundler's crypto shim
// imports), process.exit, and util.promisify's hook on the timers: each checked against Node's own answers.
import { createCipheriv, createHash, generateKeyPairSync, pbkdf2Sync, randomBytes, scryptSync, verify as nodeVerify, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PBKDF2_MAX_ITERATIONS, SCRYPT_MAX_MEMORY_BYTES } from '../src/crypto-ops.js';
import { invoke, parsed, useEnvironments } from './fixtures.js';

const HEX = `const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const bytes = (hex) => new Uint8Array(hex.match(/../g).map((h) => parseInt(h, 16)));
const text = (s) => new TextEncoder().encode(s);`;

describe('host crypto through stratus:host', () => {
  const create = useEnvironments();

  it('signs with RSA and ECDSA keys given as PEM, and verifies, as Node does', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const env = await create(`import { cryptoOp } from 'stratus:host';
${HEX}
const key = (want, pem) => {
  const answer = cryptoOp('keyInfo', { want, format: 'pem' }, [text(pem)]);
  const length = new DataView(answer.buffer).getUint32(0);
  return { info: JSON.parse(new TextDecoder().decode(answer.subarray(4, 4 + length))), der: answer.subarray(4 + length) };
};
export const handler = async (event) => {
  const out = {};
  for (const name of ['rsa', 'ec']) {
    const priv = key('private', event[name].priv);
    const pub = key('public', event[name].priv);
    const signature = cryptoOp('sign', { kind: 'private', algorithm: 'sha256' }, [priv.der, text('payload')]);
    const ok = cryptoOp('verify', { kind: 'public', algorithm: 'sha256' }, [pub.der, text('payload'), signature])[0] === 1;
    const tampered = cryptoOp('verify', { kind: 'public', algorithm: 'sha256' }, [pub.der, text('payloaD'), signature])[0] === 1;
    out[name] = { type: priv.info.asymmetricKeyType, details: priv.info.asymmetricKeyDetails, signature: hex(signature), ok, tampered };
  }
  return out;
};`);
    const pem = (pair: { privateKey: { export(o: object): string | Buffer } }) => ({ priv: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) });
    const result = parsed(await invoke(env, { rsa: pem(rsa), ec: pem(ec) })) as Record<string, { type: string; details: Record<string, unknown>; signature: string; ok: boolean; tampered: boolean }>;
    expect(result.rsa).toMatchObject({ type: 'rsa', details: { modulusLength: 2048, publicExponent: { bigint: '65537' } }, ok: true, tampered: false });
    expect(result.ec).toMatchObject({ type: 'ec', details: { namedCurve: 'prime256v1' }, ok: true, tampered: false });
    expect(nodeVerify('sha256', Buffer.from('payload'), rsa.publicKey, Buffer.from(result.rsa!.signature, 'hex'))).toBe(true);
    expect(nodeVerify('sha256', Buffer.from('payload'), ec.publicKey, Buffer.from(result.ec!.signature, 'hex'))).toBe(true);
  });

  it('exports a key as JWK and PEM, and signs with Ed25519', async () => {
    const ed = generateKeyPairSync('ed25519');
    const env = await create(`import { cryptoOp } from 'stratus:host';
${HEX}
export const handler = async (event) => {
  const answer = cryptoOp('keyInfo', { want: 'private', format: 'pem' }, [text(event.pem)]);
  const length = new DataView(answer.buffer).getUint32(0);
  const der = answer.subarray(4 + length);
  const jwk = JSON.parse(new TextDecoder().decode(cryptoOp('keyExport', { kind: 'private', format: 'jwk' }, [der])));
  const pem = new TextDecoder().decode(cryptoOp('keyExport', { kind: 'private', format: 'pem', type: 'pkcs8' }, [der]));
  const signature = hex(cryptoOp('sign', { kind: 'private', algorithm: null }, [der, text('m')]));
  return { jwk, pem, signature };
};`);
    const pemText = ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const result = parsed(await invoke(env, { pem: pemText })) as { jwk: Record<string, string>; pem: string; signature: string };
    expect(result.jwk).toEqual(ed.privateKey.export({ format: 'jwk' }));
    expect(result.pem).toBe(pemText);
    expect(nodeVerify(null, Buffer.from('m'), ed.publicKey, Buffer.from(result.signature, 'hex'))).toBe(true);
  });

  it('encrypts and decrypts with AES-GCM, CBC and CTR as Node does, and refuses a wrong tag', async () => {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const env = await create(`import { cryptoOp } from 'stratus:host';
${HEX}
export const handler = async (event) => {
  const gcm = cryptoOp('cipher', { algorithm: 'aes-256-gcm', decrypt: false }, [bytes(event.key), bytes(event.iv), text('secret message'), text('aad')]);
  const body = gcm.subarray(0, gcm.length - 16);
  const tag = gcm.subarray(gcm.length - 16);
  const plain = new TextDecoder().decode(cryptoOp('cipher', { algorithm: 'aes-256-gcm', decrypt: true }, [bytes(event.key), bytes(event.iv), body, text('aad'), tag]));
  let wrongTag;
  try { cryptoOp('cipher', { algorithm: 'aes-256-gcm', decrypt: true }, [bytes(event.key), bytes(event.iv), body, text('aad'), new Uint8Array(16)]); } catch (err) { wrongTag = err.message; }
  const cbc = cryptoOp('cipher', { algorithm: 'aes-256-cbc', decrypt: false }, [bytes(event.key), bytes(event.iv + '00000000'), text('block data')]);
  let unknown;
  try { cryptoOp('cipher', { algorithm: 'des-ede3-cbc', decrypt: false }, [bytes(event.key), bytes(event.iv), text('x')]); } catch (err) { unknown = err.message; }
  return { body: hex(body), tag: hex(tag), plain, wrongTag, cbc: hex(cbc), unknown };
};`);
    const result = parsed(await invoke(env, { key: key.toString('hex'), iv: iv.toString('hex') })) as Record<string, string>;
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from('aad'));
    const expected = Buffer.concat([cipher.update('secret message'), cipher.final()]);
    expect(result.body).toBe(expected.toString('hex'));
    expect(result.tag).toBe(cipher.getAuthTag().toString('hex'));
    expect(result.plain).toBe('secret message');
    expect(result.wrongTag).toMatch(/unable to authenticate/);
    const cbc = createCipheriv('aes-256-cbc', key, Buffer.concat([iv, Buffer.alloc(4)]));
    expect(result.cbc).toBe(Buffer.concat([cbc.update('block data'), cbc.final()]).toString('hex'));
    expect(result.unknown).toBe('Stratus supports the ciphers aes-128/192/256-gcm, -cbc and -ctr, not des-ede3-cbc');
  });

  it('derives keys with pbkdf2 and scrypt within bounds, and names the bound it refuses', async () => {
    const env = await create(`import { cryptoOp } from 'stratus:host';
${HEX}
const attempt = (fn) => { try { return hex(fn()); } catch (err) { return 'error: ' + err.message; } };
export const handler = async () => ({
  pbkdf2: attempt(() => cryptoOp('pbkdf2', { digest: 'sha256', iterations: 1000, keylen: 32 }, [text('pw'), text('salt')])),
  scrypt: attempt(() => cryptoOp('scrypt', { keylen: 32 }, [text('pw'), text('salt')])),
  tooManyIterations: attempt(() => cryptoOp('pbkdf2', { digest: 'sha256', iterations: ${PBKDF2_MAX_ITERATIONS + 1}, keylen: 32 }, [text('pw'), text('salt')])),
  tooMuchMemory: attempt(() => cryptoOp('scrypt', { keylen: 32, N: 1048576, r: 8 }, [text('pw'), text('salt')])),
});`);
    expect(parsed(await invoke(env))).toEqual({
      pbkdf2: pbkdf2Sync('pw', 'salt', 1000, 32, 'sha256').toString('hex'),
      scrypt: scryptSync('pw', 'salt', 32).toString('hex'),
      tooManyIterations: `error: iterations must be an integer from 1 to ${PBKDF2_MAX_ITERATIONS} in Stratus, got ${PBKDF2_MAX_ITERATIONS + 1}`,
      tooMuchMemory: `error: scrypt needs 128 * N * r bytes of memory; Stratus allows at most ${SCRYPT_MAX_MEMORY_BYTES} (Node's default maxmem)`,
    });
  });

  it('gives crypto.subtle HMAC and ECDSA signatures and AES-GCM that Node accepts', async () => {
    const ec = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']));
    const jwk = await webcrypto.subtle.exportKey('jwk', ec.privateKey);
    const env = await create(`${HEX}
export const handler = async (event) => {
  const hmacKey = await crypto.subtle.importKey('raw', text('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const mac = await crypto.subtle.sign('HMAC', hmacKey, text('data'));
  const macOk = await crypto.subtle.verify('HMAC', hmacKey, mac, text('data'));
  const ecKey = await crypto.subtle.importKey('jwk', event.jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const ecSignature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ecKey, text('data'));
  const aes = await crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', true, ['encrypt', 'decrypt']);
  const iv = new Uint8Array(12);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, text('hello'));
  const opened = new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, aes, sealed));
  let misuse;
  try { await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, hmacKey, text('x')); } catch (err) { misuse = err.name; }
  return { mac: hex(new Uint8Array(mac)), macOk, ecSignature: hex(new Uint8Array(ecSignature)), sealed: hex(new Uint8Array(sealed)), opened, misuse, keyType: ecKey.type, algorithm: hmacKey.algorithm.name, isKey: ecKey instanceof CryptoKey };
};`);
    const result = parsed(await invoke(env, { jwk })) as Record<string, unknown>;
    const nodeHmac = await webcrypto.subtle.importKey('raw', Buffer.from('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    expect(result.mac).toBe(Buffer.from(await webcrypto.subtle.sign('HMAC', nodeHmac, Buffer.from('data'))).toString('hex'));
    expect(result).toMatchObject({ macOk: true, opened: 'hello', misuse: 'InvalidAccessError', keyType: 'private', algorithm: 'HMAC', isKey: true });
    expect(await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, ec.publicKey, Buffer.from(result.ecSignature as string, 'hex'), Buffer.from('data'))).toBe(true);
    const nodeAes = await webcrypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']);
    expect(result.sealed).toBe(Buffer.from(await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, nodeAes, Buffer.from('hello'))).toString('hex'));
  });

  it('refuses what it cannot take with a message that names the problem', async () => {
    const env = await create(`import { cryptoOp } from 'stratus:host';
const attempt = (fn) => { try { fn(); return 'no error'; } catch (err) { return err.message; } };
export const handler = async () => [
  attempt(() => cryptoOp('nope', {}, [])),
  attempt(() => cryptoOp('sign', { kind: 'private', algorithm: 'sha256' }, [new Uint8Array(10), new Uint8Array(1)])),
  attempt(() => cryptoOp('pbkdf2', { digest: 'not-a-hash', iterations: 1, keylen: 1 }, [new Uint8Array(1), new Uint8Array(1)])),
  attempt(() => cryptoOp('cipher', { algorithm: 'aes-128-cbc', decrypt: false }, [new Uint8Array(16)])),
];`);
    const messages = parsed(await invoke(env)) as string[];
    expect(messages[0]).toBe('unknown crypto operation nope');
    expect(messages[1]).toMatch(/asn1|DECODER/);
    expect(messages[2]).toBe('Invalid digest: not-a-hash');
    expect(messages[3]).toBe('the iv is missing');
  });

  it('hashes the same as before the move (a regression guard on the off-thread path)', async () => {
    const env = await create(`import { digest } from 'stratus:host';
${HEX}
export const handler = async () => hex(digest('sha256', new Uint8Array(20000).fill(7)));`);
    expect(parsed(await invoke(env))).toBe(createHash('sha256').update(Buffer.alloc(20000, 7)).digest('hex'));
  });
});

describe('process.exit', () => {
  const create = useEnvironments();

  it("ends the invocation as Lambda's Runtime.ExitError and discards the environment", async () => {
    const env = await create(`let calls = 0;
export const handler = async (event) => { calls += 1; if (event.exit !== undefined) process.exit(event.exit); return calls; };`);
    expect(parsed(await invoke(env))).toBe(1);
    const outcome = await invoke(env, { exit: 3 });
    expect(outcome.outcome).toBe('function_error');
    expect(parsed(outcome)).toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/^RequestId: req-\d+ Error: Runtime exited with error: exit status 3$/) });
    expect(env.usable).toBe(false);
  });

  it('reports a clean exit without a reason, and an exit during init as an init error', async () => {
    const env = await create(`export const handler = async () => { process.exit(0); };`);
    expect(parsed(await invoke(env))).toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/Error: Runtime exited without providing a reason$/) });
    const atInit = await create(`process.exit(1); export const handler = async () => 'never';`);
    const outcome = await invoke(atInit);
    expect(parsed(outcome)).toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 1' });
    expect(atInit.usable).toBe(false);
  });
});

describe('timers and util.promisify', () => {
  const create = useEnvironments();

  it("carry Node's util.promisify.custom, so promisify(setTimeout) resolves with the value after the delay", async () => {
    const env = await create(`const custom = Symbol.for('nodejs.util.promisify.custom');
export const handler = async () => {
  const value = await setTimeout[custom](20, 'later');
  const immediate = await setImmediate[custom]('soon');
  return { value, immediate };
};`);
    expect(parsed(await invoke(env))).toEqual({ value: 'later', immediate: 'soon' });
  });
});
