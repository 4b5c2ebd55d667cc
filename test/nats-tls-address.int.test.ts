import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueCertificate } from '@stratus/local-cluster';
import { startNats, type TestNats } from '@stratus/testing';

// patches/nats+2.29.3.patch: nats.js checks a TLS server's certificate against the address it dialled.
// Unpatched it checks "localhost" whenever it dials an IP address, so a server whose certificate names
// only its address, as deploy/README.md has `stratus certs issue nats-1 --host 10.0.0.21` make it, is refused.

let dir: string;
let nats: TestNats;
let client: { ca: string; cert: string; key: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratus-nats-tls-'));
  await createCertificateAuthority({ dir });
  const server = await issueCertificate({ dir, name: 'nats-1', hosts: ['127.0.0.1'] });
  const own = await issueCertificate({ dir, name: 'client', hosts: ['client.invalid'] });
  client = { ca: await readFile(join(dir, 'ca.crt'), 'utf8'), cert: await readFile(own.certPath, 'utf8'), key: await readFile(own.keyPath, 'utf8') };
  nats = await startNats({ jetStream: false, tls: { ...server, caPath: join(dir, 'ca.crt') } });
});

afterAll(async () => {
  await nats?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('NATS over TLS to an IP address', () => {
  it('accepts a server whose certificate names the address dialled, and refuses it by a name it does not carry', async () => {
    const nc = await connect({ servers: nats.url, tls: client, maxReconnectAttempts: 0, timeout: 5_000 });
    await nc.flush();
    await nc.close();
    // The same server dialled by a name its certificate does not carry: still refused.
    const byName = nats.url.replace('127.0.0.1', 'localhost');
    await expect(connect({ servers: byName, tls: client, maxReconnectAttempts: 0, timeout: 5_000 })).rejects.toThrow(/altnames|localhost/);
  });
});
