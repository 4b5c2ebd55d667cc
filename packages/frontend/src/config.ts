import {
  ETCD_AUTH_SETTINGS,
  ETCD_ENDPOINTS_SETTING,
  ETCD_TLS_SETTINGS,
  GRPC_TLS_SETTINGS,
  LIMITS,
  METRICS_ADDRESS_SETTING,
  SHARED_SETTINGS,
  addressSetting,
  defineServiceConfig,
  drainGraceMsSetting,
  integerSetting,
  pathSetting,
  setting,
  type ConfigOf,
} from '@stratus/contracts';

/**
 * The frontend's settings: each names its environment variable, parses,
 * validates and defaults it. This module is the package's `config` subpath:
 * it loads nothing but zod and contracts, so launchers (the local cluster)
 * import it for the variables' names without loading the frontend.
 */
export const frontendConfig = defineServiceConfig('frontend', {
  ...SHARED_SETTINGS,
  etcdEndpoints: ETCD_ENDPOINTS_SETTING,
  ...ETCD_AUTH_SETTINGS,
  ...ETCD_TLS_SETTINGS,
  ...GRPC_TLS_SETTINGS,
  metricsAddress: METRICS_ADDRESS_SETTING,
  grpcAddress: addressSetting({
    env: 'STRATUS_GRPC_ADDRESS',
    doc: 'Where the gRPC API listens; the address taken is in the ready message.',
    default: '127.0.0.1:50051',
  }),
  httpAddress: addressSetting({
    env: 'STRATUS_HTTP_ADDRESS',
    doc: "Where Lambda's REST API listens (HTTP/1.1, every request signed with SigV4 by an API key: the AWS CLI and SDKs with `--endpoint-url`); the address taken is in the ready message.",
    default: { none: 'none: not served' },
  }),
  functionUrlDomain: setting<string>({
    env: 'STRATUS_FUNCTION_URL_DOMAIN',
    doc: "The DNS domain function URLs are given under, host-based as Lambda's: `http://<url-id>.<domain>[:port]/` (point `*.<domain>` at the frontends' HTTP listeners). Without it URLs are given path-based (`/lambda-url/<name>/`); a Host `<url-id>.lambda-url.<anything>` is served either way.",
    default: { none: 'none: URLs are given path-based' },
    allowed: 'a DNS name (letters, digits, `-` and `.`), at most 200 characters',
    parse: (text) => (/^(?=.{1,200}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(text) ? text.toLowerCase() : undefined),
  }),
  httpStreamBudgetMb: integerSetting({
    env: 'STRATUS_HTTP_STREAM_BUDGET_MB',
    doc: "Streamed response bytes (InvokeWithResponseStream, RESPONSE_STREAM function URLs) this frontend holds at once for clients that read slower than functions write, in MB; a stream that would take it past this while its client's socket is full is cut off (InvokeComplete `ServiceException`, or the URL's connection closed), and the call still runs and is billed. What a RESPONSE_STREAM URL holds before it can send its head (its `HttpResponseStream.from` prelude not yet whole) counts too, whatever the client reads: past this, that URL answers 502 at once.",
    default: 64,
    min: 1,
    max: 65_536,
  }),
  apiKeySealingKeyFile: pathSetting({
    env: 'STRATUS_API_KEY_SEALING_KEY_FILE',
    doc: "A file holding the cluster's API key sealing key (base64 of 32 random bytes, the same on every frontend, readable by frontends only): new API keys' secrets are sealed with it in etcd, which SigV4 verification needs.",
    default: { none: 'none: keys made by this frontend cannot sign SigV4 requests, and it verifies none' },
  }),
  accountConcurrencyLimit: integerSetting({
    env: 'STRATUS_ACCOUNT_CONCURRENCY',
    doc: "Concurrent executions across the account, all frontends together (Lambda's account quota); at least 100 of it always stays unreserved.",
    default: LIMITS.accountConcurrencyDefault,
    min: LIMITS.unreservedConcurrencyMin,
    max: 1_000_000,
  }),
  deployConcurrency: integerSetting({
    env: 'STRATUS_DEPLOY_CONCURRENCY',
    doc: 'Deploys unzipping and bundling at once, each in a child process of its own, so invocations keep flowing during any deploy.',
    default: 2,
    min: 1,
    max: 64,
  }),
  deployQueue: integerSetting({
    env: 'STRATUS_DEPLOY_QUEUE',
    doc: 'Deploys waiting for a bundling slot; more are refused with `THROTTLED` (reason `DeployConcurrencyLimitExceeded`).',
    default: 4,
    min: 0,
    max: 1000,
  }),
  deployTimeLimitMs: integerSetting({
    env: 'STRATUS_DEPLOY_TIME_LIMIT_MS',
    doc: 'How long one deploy may unzip and bundle before it is stopped (`INVALID_CODE`), in ms.',
    default: 30_000,
    min: 1,
    max: 900_000,
  }),
  asyncFunctionConcurrency: integerSetting({
    env: 'STRATUS_ASYNC_FUNCTION_CONCURRENCY',
    doc: "Asynchronous (Event) invocations of one function this frontend's dispatcher runs at once (fewer when the function's reserved concurrency is lower); each function has its own, so one function's backlog never holds up another's. 0: this frontend accepts events but does not run them.",
    default: 32,
    min: 0,
    max: 10_000,
  }),
  asyncRetryBaseDelayMs: integerSetting({
    env: 'STRATUS_ASYNC_RETRY_BASE_DELAY_MS',
    doc: "Wait before the first retry of an Event invocation whose handler failed or timed out, in ms; the second waits twice as long (Lambda: about 1 and 2 minutes).",
    default: 60_000,
    min: 1,
    max: 3_600_000,
  }),
  asyncThrottleBaseDelayMs: integerSetting({
    env: 'STRATUS_ASYNC_THROTTLE_BASE_DELAY_MS',
    doc: 'First wait of an Event invocation refused for concurrency or capacity (async events are never THROTTLED: they wait), in ms; doubles per refusal.',
    default: 1_000,
    min: 1,
    max: 3_600_000,
  }),
  asyncThrottleMaxDelayMs: integerSetting({
    env: 'STRATUS_ASYNC_THROTTLE_MAX_DELAY_MS',
    doc: 'Longest wait between two tries of a refused Event invocation, in ms.',
    default: 300_000,
    min: 1,
    max: 3_600_000,
  }),
  asyncAckWaitMs: integerSetting({
    env: 'STRATUS_ASYNC_ACK_WAIT_MS',
    doc: 'How long a dispatcher may go silent holding an Event invocation (or a frontend a batch of a jetstream: event source mapping) before another takes it over (its attempt then counts as failed), in ms: how soon the events of a frontend that died run elsewhere. For a mapping, the value of the frontend that created it.',
    default: 30_000,
    min: 1_000,
    max: 3_600_000,
  }),
  scheduleLimit: integerSetting({
    env: 'STRATUS_SCHEDULE_LIMIT',
    doc: 'Schedules the cluster may hold (EventBridge Scheduler-style, `stratus schedules`); past it CreateSchedule is SCHEDULE_LIMIT_EXCEEDED. Every frontend keeps every schedule in memory and fires it, so this bounds their work; set it alike on every frontend.',
    default: 10_000,
    min: 0,
    max: 1_000_000,
  }),
  drainGraceMs: drainGraceMsSetting(30_000, 'On SIGTERM, how long calls in flight may finish before they are cut off, in ms.'),
});

/** The frontend's resolved configuration. */
export type FrontendConfig = ConfigOf<typeof frontendConfig.settings>;
