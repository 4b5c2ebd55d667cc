import type { FrontendConfig } from './config.js';
import type { FrontendOptions, FrontendSettings } from './frontend.js';

type FrontendConfigPart = Pick<
  FrontendConfig,
  'grpcAddress' | 'httpAddress' | 'drainGraceMs' | 'accountConcurrencyLimit' | 'deployConcurrency' | 'deployQueue' | 'deployTimeLimitMs' | 'jetStreamReplicas'
>;

/** What of a frontend's options its validated configuration gives: passed on by `main.ts` of a frontend and of the combined role alike. */
export function frontendSettingsFrom(config: FrontendConfigPart): FrontendSettings & Pick<FrontendOptions, 'deploy' | 'jetStreamReplicas' | 'httpAddress'> {
  return {
    grpcAddress: config.grpcAddress,
    httpAddress: config.httpAddress,
    drainGraceMs: config.drainGraceMs,
    accountConcurrencyLimit: config.accountConcurrencyLimit,
    deploy: { maxRunning: config.deployConcurrency, maxWaiting: config.deployQueue, timeLimitMs: config.deployTimeLimitMs },
    jetStreamReplicas: config.jetStreamReplicas,
  };
}
