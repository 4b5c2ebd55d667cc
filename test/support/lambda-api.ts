import { LambdaClient } from '@aws-sdk/client-lambda';
import { parseApiKey } from '@stratus/contracts';
import type { TestCluster } from '@stratus/testing';

/** Where and as whom a test calls a cluster's Lambda REST API: its base URL and the admin key as an access key id and secret. */
export interface LambdaApiTarget {
  readonly endpoint: string;
  readonly keyId: string;
  readonly secret: string;
}

/** The cluster's Lambda REST API (its first frontend's HTTP listener), signed with the cluster's admin key. */
export function lambdaApiAdmin(cluster: Pick<TestCluster, 'httpAddress' | 'apiKey'>): LambdaApiTarget {
  const credential = parseApiKey(cluster.apiKey);
  if (!credential) throw new Error('the cluster has no admin key');
  return { endpoint: `http://${cluster.httpAddress ?? ''}`, keyId: credential.keyId, secret: credential.secret };
}

/**
 * An `@aws-sdk/client-lambda` client for the target (region us-east-1; any region works against Stratus). One attempt:
 * the SDK's retries would hide a refusal or a throttle the test means to see. The caller destroys it.
 */
export function lambdaClient(target: LambdaApiTarget): LambdaClient {
  return new LambdaClient({
    endpoint: target.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: target.keyId, secretAccessKey: target.secret },
    maxAttempts: 1,
  });
}
