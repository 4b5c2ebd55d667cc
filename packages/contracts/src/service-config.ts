import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { DEFAULT_NAMESPACE, NAMESPACE_PREFIX_PATTERN } from './namespace.js';
import type { ServiceName } from './service-ready.js';

/**
 * One setting a service reads from its environment: the variable that names
 * it, what it means, its default, what values are allowed, and the zod schema
 * that turns the variable's text into the value. A service's settings make
 * its one configuration schema ({@link defineServiceConfig}); the README's
 * tables are generated from them.
 */
export interface Setting<T> {
  /** The environment variable, e.g. `STRATUS_NODE_KEEP_WARM_MS`. */
  readonly env: string;
  /** What the setting means, for the README. */
  readonly doc: string;
  /** The default as the README shows it: the value, or how it is worked out. */
  readonly defaultDoc: string;
  /** The values allowed, as the README and the error for a bad value say it. */
  readonly allowed: string;
  /** The variable's text in (unset and empty mean "use the default"), the value out. */
  readonly schema: z.ZodType<T, unknown>;
}

/** A default worked out when the service starts (the machine's cores, a random id), with how the README says it. */
export interface ComputedDefault<T> {
  readonly compute: () => T;
  readonly doc: string;
}

/** No value unless the variable is set; `doc` says what that means. */
export interface NoDefault {
  readonly none: string;
}

export interface SettingSpec<T> {
  readonly env: string;
  readonly doc: string;
  readonly default: T | ComputedDefault<T>;
}

/** A setting that has no value unless its variable is set. */
export interface OptionalSettingSpec {
  readonly env: string;
  readonly doc: string;
  readonly default: NoDefault;
}

interface Parser<T> {
  /** The values allowed, as the README and errors say it. */
  readonly allowed: string;
  /** The value of a trimmed, non-empty text, or undefined when it is not allowed. */
  readonly parse: (text: string) => T | undefined;
}

/**
 * A setting whose text is parsed by `parse`. Unset or empty takes the
 * default, which is a value already and is not parsed.
 */
export function setting<T>(spec: OptionalSettingSpec & Parser<T>): Setting<T | undefined>;
export function setting<T>(spec: SettingSpec<T> & Parser<T>): Setting<T>;
export function setting<T>(spec: (SettingSpec<T> | OptionalSettingSpec) & Parser<T>): Setting<T | undefined> {
  return makeSetting(spec);
}

function makeSetting<T>(spec: (SettingSpec<T> | OptionalSettingSpec) & Parser<T>): Setting<T | undefined> {
  const parsed = z.string().transform((text, ctx): T => {
    const value = spec.parse(text.trim());
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${spec.allowed}` });
      return z.NEVER;
    }
    return value;
  });
  const emptyIsUnset = (raw: unknown): unknown => (raw === '' ? undefined : raw);
  const declared = spec.default;
  let inner: z.ZodType<T | undefined, unknown>;
  let defaultDoc: string;
  if (isNoDefault(declared)) {
    inner = parsed.optional();
    defaultDoc = declared.none;
  } else if (isComputed(declared)) {
    inner = parsed.default(declared.compute as () => never);
    defaultDoc = declared.doc;
  } else {
    inner = parsed.default(declared as never);
    defaultDoc = `\`${formatValue(declared)}\``;
  }
  return { env: spec.env, doc: spec.doc, defaultDoc, allowed: spec.allowed, schema: z.preprocess(emptyIsUnset, inner) };
}

/** A whole number from `min` to `max`; `1.5`, `1e400` and `0x10` are refused, not rounded. */
export function integerSetting(spec: SettingSpec<number> & { readonly min: number; readonly max: number }): Setting<number> {
  return setting({
    ...spec,
    allowed: `a whole number from ${spec.min} to ${spec.max}`,
    parse: (text) => {
      if (!/^[+-]?\d+$/.test(text)) return undefined;
      const value = Number(text);
      return Number.isSafeInteger(value) && value >= spec.min && value <= spec.max ? value : undefined;
    },
  });
}

/** A decimal number from `min` up (to `max` when given). */
export function numberSetting(spec: SettingSpec<number> & { readonly min: number; readonly max?: number }): Setting<number> {
  return setting({
    ...spec,
    allowed: spec.max === undefined ? `a number of at least ${spec.min}` : `a number from ${spec.min} to ${spec.max}`,
    parse: (text) => {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
      const value = Number(text);
      return Number.isFinite(value) && value >= spec.min && (spec.max === undefined || value <= spec.max) ? value : undefined;
    },
  });
}

/** `host:port`, the port from 0 (any free port) to 65535. */
export function addressSetting(spec: OptionalSettingSpec): Setting<string | undefined>;
export function addressSetting(spec: SettingSpec<string>): Setting<string>;
export function addressSetting(spec: SettingSpec<string> | OptionalSettingSpec): Setting<string | undefined> {
  return makeSetting<string>({
    ...spec,
    allowed: '`host:port`, port 0 (a free one) to 65535',
    parse: (text) => {
      const colon = text.lastIndexOf(':');
      const port = text.slice(colon + 1);
      if (colon < 1 || !/^\d{1,5}$/.test(port) || Number(port) > 65_535 || /\s/.test(text)) return undefined;
      return text;
    },
  });
}

/** A directory; a relative path is kept as given and resolved by the service against its working directory. */
export function pathSetting(spec: OptionalSettingSpec): Setting<string | undefined>;
export function pathSetting(spec: SettingSpec<string>): Setting<string>;
export function pathSetting(spec: SettingSpec<string> | OptionalSettingSpec): Setting<string | undefined> {
  return makeSetting<string>({ ...spec, allowed: 'a path', parse: (text) => text });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Settings every service reads. A service's own settings that several
 * services share a variable for (etcd, drain grace, metrics) are built by the
 * functions below, so the variable is named once.
 */
export const SHARED_SETTINGS = {
  natsServers: setting<readonly string[]>({
    env: 'STRATUS_NATS_URL',
    doc: 'The NATS servers to connect to, comma-separated (any one of a cluster is enough; the others are learned from it).',
    default: ['nats://127.0.0.1:4222'],
    allowed: 'NATS URLs (`nats://host:port` or `host:port`), comma-separated',
    parse: (text) => {
      const servers = text.split(',').map((server) => server.trim());
      return servers.every((server) => /^([a-z]+:\/\/)?[^\s/]+$/.test(server)) ? servers : undefined;
    },
  }),
  natsUser: setting<string>({
    env: 'STRATUS_NATS_USER',
    doc: 'The NATS user this service connects as: one per role, one per worker node, each allowed only its own subjects (see `natsPermissions`).',
    default: { none: 'none: connect without credentials' },
    allowed: 'a user name',
    parse: (text) => text,
  }),
  natsPassword: setting<string>({
    env: 'STRATUS_NATS_PASSWORD',
    doc: 'The password of `STRATUS_NATS_USER`.',
    default: { none: 'none' },
    allowed: 'a password',
    parse: (text) => text,
  }),
  natsTlsCa: pathSetting({
    env: 'STRATUS_NATS_TLS_CA',
    doc: "CA certificate (PEM file) the NATS servers' certificates must be signed by; with it the connection is TLS, and refused when the server cannot prove itself.",
    default: { none: 'none: plaintext NATS' },
  }),
  natsTlsCert: pathSetting({
    env: 'STRATUS_NATS_TLS_CERT',
    doc: "This service's client certificate (PEM file) for NATS servers that verify clients (`verify: true`); needs `STRATUS_NATS_TLS_KEY` and `STRATUS_NATS_TLS_CA`.",
    default: { none: 'none' },
  }),
  natsTlsKey: pathSetting({
    env: 'STRATUS_NATS_TLS_KEY',
    doc: 'The private key (PEM file) of `STRATUS_NATS_TLS_CERT`.',
    default: { none: 'none' },
  }),
  namespace: setting({
    env: 'STRATUS_NAMESPACE',
    doc: 'Prefix of every NATS subject, stream and etcd key the cluster uses; services of one cluster must agree on it.',
    default: DEFAULT_NAMESPACE,
    allowed: 'lower-case letters, digits and `_`, starting with a letter, at most 32',
    parse: (text) => (NAMESPACE_PREFIX_PATTERN.test(text) ? text : undefined),
  }),
  jetStreamReplicas: integerSetting({
    env: 'STRATUS_JETSTREAM_REPLICAS',
    doc: 'Replicas of each JetStream stream and bucket the cluster creates (usage, logs, code, client tokens): 3 with a cluster of 3 NATS servers, so losing one loses nothing. Buckets take it when they are created; the usage and logs streams are also updated to it when they have another count.',
    default: 1,
    min: 1,
    max: 5,
  }),
  logLevel: setting<LogLevel>({
    env: 'STRATUS_LOG_LEVEL',
    doc: 'Least severe level of the JSON log lines written to stdout.',
    default: 'info',
    allowed: LOG_LEVELS.map((level) => `\`${level}\``).join(', '),
    parse: (text) => LOG_LEVELS.find((level) => level === text),
  }),
} as const;

/** The etcd cluster (frontend and node). */
export const ETCD_ENDPOINTS_SETTING: Setting<readonly string[]> = setting<readonly string[]>({
  env: 'STRATUS_ETCD_ENDPOINTS',
  doc: 'The etcd endpoints to connect to, comma-separated.',
  default: ['http://127.0.0.1:2379'],
  allowed: '`http://` or `https://` URLs, comma-separated',
  parse: (text) => {
    const endpoints = text.split(',').map((endpoint) => endpoint.trim());
    return endpoints.every((endpoint) => /^https?:\/\/[^\s/]+/.test(endpoint) && URL.canParse(endpoint)) ? endpoints : undefined;
  },
});

/**
 * How a service logs in to etcd (frontend, node, billing). Without a user it
 * connects anonymously, which an etcd with authentication on refuses.
 */
export const ETCD_AUTH_SETTINGS = {
  etcdUser: setting<string>({
    env: 'STRATUS_ETCD_USER',
    doc: 'The etcd user this service connects as: `<namespace>-frontend`, `<namespace>-node-<node id>` or `<namespace>-billing`, each allowed only its own keys (`stratus etcd-auth` makes them).',
    default: { none: 'none: connect without credentials' },
    allowed: 'an etcd user name',
    parse: (text) => text,
  }),
  etcdPassword: setting<string>({
    env: 'STRATUS_ETCD_PASSWORD',
    doc: 'The password of `STRATUS_ETCD_USER`; or use `STRATUS_ETCD_PASSWORD_FILE`.',
    default: { none: 'none' },
    allowed: 'a password',
    parse: (text) => text,
  }),
  etcdPasswordFile: pathSetting({
    env: 'STRATUS_ETCD_PASSWORD_FILE',
    doc: 'A file holding the password of `STRATUS_ETCD_USER` (surrounding white space ignored), read once at start; not with `STRATUS_ETCD_PASSWORD`.',
    default: { none: 'none' },
  }),
} as const;

/** Where Prometheus metrics are served (frontend and node). */
export const METRICS_ADDRESS_SETTING: Setting<string> = addressSetting({
  env: 'STRATUS_METRICS_ADDRESS',
  doc: 'Where Prometheus metrics are served (`/metrics`); the address taken is in the ready message.',
  default: '127.0.0.1:0',
});

/** How long a stopping service lets work in flight finish; each service has its own default. */
export function drainGraceMsSetting(defaultMs: number, doc: string): Setting<number> {
  return integerSetting({ env: 'STRATUS_DRAIN_GRACE_MS', doc, default: defaultMs, min: 0, max: 3_600_000 });
}

export type SettingsMap = Readonly<Record<string, Setting<unknown>>>;

/** The resolved options a service's settings give. */
export type ConfigOf<S extends SettingsMap> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** What every service's configuration holds. */
export type SharedConfig = ConfigOf<typeof SHARED_SETTINGS>;

/** One service's configuration: its settings, their schema, and the variable of each option. */
export interface ServiceConfig<S extends SettingsMap> {
  readonly service: ServiceName;
  readonly settings: S;
  /** The environment in (other variables ignored), the resolved options out. */
  readonly schema: z.ZodType<ConfigOf<S>, unknown>;
  /** Each option's environment variable, for launchers: `nodeConfig.env.keepWarmMs`. */
  readonly env: { readonly [K in keyof S]: string };
  /**
   * Resolves the options from an environment. A bad value is refused with
   * INVALID_ARGUMENT whose message names every bad variable, its value and
   * what is allowed (details: variable → value).
   */
  parse(env: Readonly<Record<string, string | undefined>>): ConfigOf<S>;
}

/**
 * A rule between settings that each pass alone: given the resolved options,
 * what is wrong, in words that name the variables involved (use
 * `ServiceConfig.env`), or undefined when they agree.
 */
export type CrossCheck<S extends SettingsMap> = (config: ConfigOf<S>, env: { readonly [K in keyof S]: string }) => { readonly variables: readonly (keyof S)[]; readonly problem: string } | undefined;

/**
 * Makes one service's configuration schema from its settings; two options may
 * not share a variable. `checks` (default none) are the rules between
 * settings, refused by `parse` like a bad value, each naming its variables.
 */
export function defineServiceConfig<const S extends SettingsMap>(service: ServiceName, settings: S, checks: readonly CrossCheck<S>[] = []): ServiceConfig<S> {
  const entries = Object.entries(settings);
  const shape: Record<string, z.ZodType<unknown, unknown>> = {};
  for (const [key, { env, schema }] of entries) {
    if (shape[env] !== undefined) throw new Error(`${service} config: ${env} is named by two options (one is ${key})`);
    shape[env] = schema;
  }
  const schema = z
    .object(shape)
    .transform((byVariable) => Object.fromEntries(entries.map(([key, { env }]) => [key, byVariable[env]])) as ConfigOf<S>);
  const env = Object.fromEntries(entries.map(([key, s]) => [key, s.env])) as { readonly [K in keyof S]: string };
  return {
    service,
    settings,
    schema,
    env,
    parse: (environment) => {
      const result = schema.safeParse(environment);
      const bad = new Map<string, string>();
      if (result.success) {
        for (const check of checks) {
          const wrong = check(result.data, env);
          if (wrong === undefined) continue;
          const variables = wrong.variables.map((key) => env[key]);
          bad.set(variables.join(' and '), wrong.problem);
        }
        if (bad.size === 0) return result.data;
      } else {
        for (const issue of result.error.issues) {
          const variable = String(issue.path[0]);
          if (!bad.has(variable)) bad.set(variable, `${variable}=${JSON.stringify(environment[variable])} is not valid: ${issue.message}`);
        }
      }
      const variables = [...bad.keys()].flatMap((key) => key.split(' and '));
      throw new StratusError('INVALID_ARGUMENT', [...bad.values()].join('; '), {
        details: Object.fromEntries(variables.map((variable) => [variable, environment[variable] ?? ''])),
      });
    },
  };
}

/**
 * The README table of settings: variable, default, allowed values, meaning.
 * `except` leaves out settings documented in another table (the shared ones).
 */
export function settingsTable(settings: SettingsMap, except: SettingsMap = {}): string {
  const skip = new Set(Object.values(except).map((s) => s.env));
  const rows = Object.values(settings)
    .filter((s) => !skip.has(s.env))
    .map((s) => `| \`${s.env}\` | ${cell(s.defaultDoc)} | ${cell(s.allowed)} | ${cell(s.doc)} |`);
  return ['| variable | default | allowed | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function formatValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

function isComputed<T>(value: T | ComputedDefault<T>): value is ComputedDefault<T> {
  return typeof value === 'object' && value !== null && typeof (value as { compute?: unknown }).compute === 'function';
}

function isNoDefault<T>(value: T | ComputedDefault<T> | NoDefault): value is NoDefault {
  return typeof value === 'object' && value !== null && typeof (value as { none?: unknown }).none === 'string';
}
