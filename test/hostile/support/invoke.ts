import type { TestCluster } from '@stratus/testing';

export interface JsonOutcome {
  /** '' or 'Unhandled', as Lambda's X-Amz-Function-Error. */
  readonly functionError: string;
  /** The result, or Lambda's error object when functionError is set. */
  readonly payload: unknown;
}

/** Invokes with `event` as JSON and parses what comes back. */
export async function invokeJson(cluster: TestCluster, functionName: string, event: unknown): Promise<JsonOutcome> {
  const result = await cluster.client.invoke({ functionName, payload: JSON.stringify(event) });
  return { functionError: result.functionError, payload: JSON.parse(result.payloadText) as unknown };
}
