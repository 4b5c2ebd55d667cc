import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import {
  SHARED_SETTINGS,
  addressSetting,
  defineServiceConfig,
  drainGraceMsSetting,
  integerSetting,
  numberSetting,
  pathSetting,
  settingsTable,
  ETCD_ENDPOINTS_SETTING,
} from '../src/index.js';

const config = defineServiceConfig('node', {
  ...SHARED_SETTINGS,
  etcdEndpoints: ETCD_ENDPOINTS_SETTING,
  keepWarmMs: integerSetting({ env: 'STRATUS_TEST_KEEP_WARM_MS', doc: 'Keep warm.', default: 300_000, min: 1, max: 86_400_000 }),
  spares: integerSetting({ env: 'STRATUS_TEST_SPARES', doc: 'Spares; 0 disables.', default: 2, min: 0, max: 64 }),
  cores: integerSetting({ env: 'STRATUS_TEST_CORES', doc: 'Cores.', default: { compute: () => 7, doc: "the machine's cores" }, min: 1, max: 1024 }),
  price: numberSetting({ env: 'STRATUS_TEST_PRICE', doc: 'Price | USD.', default: 0.2, min: 0 }),
  address: addressSetting({ env: 'STRATUS_TEST_ADDRESS', doc: 'Address.', default: '127.0.0.1:50051' }),
  cacheDir: pathSetting({ env: 'STRATUS_TEST_CACHE_DIR', doc: 'Cache.', default: { none: 'none: memory only' } }),
  drainGraceMs: drainGraceMsSetting(10_000, 'Grace.'),
});

function refusal(env: Record<string, string>): { message: string; details: Readonly<Record<string, string>> } {
  try {
    config.parse(env);
  } catch (err) {
    expect(hasCode(err, 'INVALID_ARGUMENT')).toBe(true);
    return err as { message: string; details: Readonly<Record<string, string>> };
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
}

describe('a service configuration', () => {
  it('defaults every setting when its variable is unset or empty, and ignores other variables', () => {
    expect(config.parse({ STRATUS_TEST_SPARES: '', PATH: '/bin' })).toEqual({
      natsServers: ['nats://127.0.0.1:4222'],
      namespace: 'stratus',
      jetStreamReplicas: 1,
      logLevel: 'info',
      etcdEndpoints: ['http://127.0.0.1:2379'],
      keepWarmMs: 300_000,
      spares: 2,
      cores: 7,
      price: 0.2,
      address: '127.0.0.1:50051',
      cacheDir: undefined,
      drainGraceMs: 10_000,
    });
  });

  it('parses each variable into its option', () => {
    const parsed = config.parse({
      STRATUS_NATS_URL: 'nats://a:4222, b:4222',
      STRATUS_NAMESPACE: 'test_1',
      STRATUS_LOG_LEVEL: 'debug',
      STRATUS_ETCD_ENDPOINTS: 'http://a:2379, https://b:2379',
      STRATUS_TEST_KEEP_WARM_MS: ' 1000 ',
      STRATUS_TEST_SPARES: '0',
      STRATUS_TEST_CORES: '3',
      STRATUS_TEST_PRICE: '0.0000166667',
      STRATUS_TEST_ADDRESS: '[::1]:0',
      STRATUS_TEST_CACHE_DIR: 'cache',
      STRATUS_DRAIN_GRACE_MS: '0',
      STRATUS_JETSTREAM_REPLICAS: '3',
    });
    expect(parsed).toEqual({
      natsServers: ['nats://a:4222', 'b:4222'],
      namespace: 'test_1',
      jetStreamReplicas: 3,
      logLevel: 'debug',
      etcdEndpoints: ['http://a:2379', 'https://b:2379'],
      keepWarmMs: 1000,
      spares: 0,
      cores: 3,
      price: 0.0000166667,
      address: '[::1]:0',
      cacheDir: 'cache',
      drainGraceMs: 0,
    });
  });

  it.each([
    ['STRATUS_TEST_KEEP_WARM_MS', '0', 'a whole number from 1 to 86400000'],
    ['STRATUS_TEST_KEEP_WARM_MS', '1.5', 'a whole number from 1 to 86400000'],
    ['STRATUS_TEST_KEEP_WARM_MS', '86400001', 'a whole number from 1 to 86400000'],
    ['STRATUS_TEST_KEEP_WARM_MS', '1e3', 'a whole number from 1 to 86400000'],
    ['STRATUS_TEST_KEEP_WARM_MS', 'soon', 'a whole number from 1 to 86400000'],
    ['STRATUS_TEST_SPARES', '-1', 'a whole number from 0 to 64'],
    ['STRATUS_TEST_PRICE', '-0.1', 'a number of at least 0'],
    ['STRATUS_TEST_PRICE', 'NaN', 'a number of at least 0'],
    ['STRATUS_TEST_ADDRESS', '127.0.0.1', '`host:port`, port 0 (a free one) to 65535'],
    ['STRATUS_TEST_ADDRESS', 'localhost:70000', '`host:port`, port 0 (a free one) to 65535'],
    ['STRATUS_NAMESPACE', 'Has.Dots', 'lower-case letters'],
    ['STRATUS_JETSTREAM_REPLICAS', '0', 'a whole number from 1 to 5'],
    ['STRATUS_NATS_URL', 'nats://a:4222,', 'NATS URLs'],
    ['STRATUS_LOG_LEVEL', 'loud', '`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`'],
    ['STRATUS_ETCD_ENDPOINTS', 'etcd:2379', '`http://` or `https://` URLs'],
    ['STRATUS_DRAIN_GRACE_MS', '-5', 'a whole number from 0 to 3600000'],
  ])('refuses %s=%s, naming the variable, the value and what is allowed', (variable, value, allowed) => {
    const { message, details } = refusal({ [variable]: value });
    expect(message).toContain(`${variable}=${JSON.stringify(value)} is not valid: expected ${allowed}`);
    expect(details).toEqual({ [variable]: value });
  });

  it('names every bad variable at once', () => {
    const { message, details } = refusal({ STRATUS_TEST_KEEP_WARM_MS: '0', STRATUS_TEST_CORES: '0', STRATUS_TEST_SPARES: '1' });
    expect(message).toMatch(/STRATUS_TEST_KEEP_WARM_MS="0".*; STRATUS_TEST_CORES="0"/);
    expect(Object.keys(details)).toEqual(['STRATUS_TEST_KEEP_WARM_MS', 'STRATUS_TEST_CORES']);
  });

  it('gives launchers the variable of each option', () => {
    expect(config.env.keepWarmMs).toBe('STRATUS_TEST_KEEP_WARM_MS');
    expect(config.env.natsServers).toBe('STRATUS_NATS_URL');
  });

  it('refuses two options named by one variable', () => {
    const a = integerSetting({ env: 'STRATUS_SAME', doc: 'a', default: 1, min: 0, max: 1 });
    expect(() => defineServiceConfig('frontend', { a, b: a })).toThrow(/STRATUS_SAME is named by two options/);
  });
});

describe('settingsTable', () => {
  it('has a row per setting with its default, what is allowed and what it means', () => {
    const table = settingsTable(config.settings, SHARED_SETTINGS).split('\n');
    expect(table[0]).toBe('| variable | default | allowed | meaning |');
    expect(table).toContain('| `STRATUS_TEST_KEEP_WARM_MS` | `300000` | a whole number from 1 to 86400000 | Keep warm. |');
    expect(table).toContain("| `STRATUS_TEST_CORES` | the machine's cores | a whole number from 1 to 1024 | Cores. |");
    expect(table).toContain('| `STRATUS_TEST_PRICE` | `0.2` | a number of at least 0 | Price \\| USD. |');
    expect(table).toContain('| `STRATUS_ETCD_ENDPOINTS` | `http://127.0.0.1:2379` | `http://` or `https://` URLs, comma-separated | The etcd endpoints to connect to, comma-separated. |');
    expect(table.join('\n')).not.toContain('STRATUS_NATS_URL');
    expect(table).toHaveLength(2 + Object.keys(config.settings).length - Object.keys(SHARED_SETTINGS).length);
  });
});
