import { DEFAULT_ASYNC_DISPATCH } from './async-dispatcher.js';
import { DEFAULT_MAPPING_RUN } from './event-source-mappings/mapping-runner.js';
import type { FrontendConfig } from './config.js';
import type { FrontendOptions, FrontendSettings } from './frontend.js';

type FrontendConfigPart = Pick<
  FrontendConfig,
  | 'grpcAddress'
  | 'httpAddress'
  | 'functionUrlDomain'
  | 'httpStreamBudgetMb'
  | 'drainGraceMs'
  | 'accountConcurrencyLimit'
  | 'deployConcurrency'
  | 'deployQueue'
  | 'deployTimeLimitMs'
  | 'jetStreamReplicas'
  | 'asyncFunctionConcurrency'
  | 'asyncRetryBaseDelayMs'
  | 'asyncThrottleBaseDelayMs'
  | 'asyncThrottleMaxDelayMs'
  | 'asyncAckWaitMs'
  | 'scheduleLimit'
>;

/** What of a frontend's options its validated configuration gives: passed on by `main.ts` of a frontend and of the combined role alike. */
export function frontendSettingsFrom(config: FrontendConfigPart): FrontendSettings & Pick<FrontendOptions, 'deploy' | 'jetStreamReplicas' | 'httpAddress' | 'httpStreamBudgetBytes' | 'functionUrlDomain' | 'asyncDispatch' | 'scheduleLimit' | 'eventSourceMappings'> {
  return {
    grpcAddress: config.grpcAddress,
    httpAddress: config.httpAddress,
    functionUrlDomain: config.functionUrlDomain,
    httpStreamBudgetBytes: config.httpStreamBudgetMb * 1024 * 1024,
    drainGraceMs: config.drainGraceMs,
    accountConcurrencyLimit: config.accountConcurrencyLimit,
    deploy: { maxRunning: config.deployConcurrency, maxWaiting: config.deployQueue, timeLimitMs: config.deployTimeLimitMs },
    jetStreamReplicas: config.jetStreamReplicas,
    scheduleLimit: config.scheduleLimit,
    asyncDispatch:
      config.asyncFunctionConcurrency === 0
        ? false
        : {
            functionConcurrency: config.asyncFunctionConcurrency,
            ackWaitMs: config.asyncAckWaitMs,
            scanIntervalMs: DEFAULT_ASYNC_DISPATCH.scanIntervalMs,
            backoff: {
              retryBaseDelayMs: config.asyncRetryBaseDelayMs,
              throttleBaseDelayMs: config.asyncThrottleBaseDelayMs,
              throttleMaxDelayMs: config.asyncThrottleMaxDelayMs,
            },
          },
    // A batch held by a frontend that died goes to another after the same wait as an async event; refusals back off alike.
    eventSourceMappings: { ...DEFAULT_MAPPING_RUN, ackWaitMs: config.asyncAckWaitMs, throttleBaseDelayMs: config.asyncThrottleBaseDelayMs },
  };
}
