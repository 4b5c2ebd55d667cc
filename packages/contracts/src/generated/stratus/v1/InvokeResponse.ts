// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/invoke.proto

import type { Long } from '@grpc/proto-loader';

export interface InvokeResponse {
  /**
   * 200 for a RequestResponse call that ran (even when the handler failed).
   */
  'statusCode'?: (number);
  /**
   * The handler's result as JSON text, or Lambda's error object when function_error is set.
   */
  'payload'?: (Buffer | Uint8Array | string);
  /**
   * "Unhandled" when the handler failed, as Lambda's X-Amz-Function-Error.
   */
  'functionError'?: (string);
  'executedVersion'?: (string);
  /**
   * The last 4 KB of the invocation's log, base64, when log_type is TAIL.
   */
  'logResult'?: (string);
  'requestId'?: (string);
  /**
   * What the platform measured, so clients can compare with the usage records.
   */
  'durationMs'?: (number | string);
  'billedDurationMs'?: (number | string | Long);
  'initDurationMs'?: (number | string);
  'coldStart'?: (boolean);
  'nodeId'?: (string);
  /**
   * Lambda's REPORT line for this invocation.
   */
  'report'?: (string);
}

export interface InvokeResponse__Output {
  /**
   * 200 for a RequestResponse call that ran (even when the handler failed).
   */
  'statusCode': (number);
  /**
   * The handler's result as JSON text, or Lambda's error object when function_error is set.
   */
  'payload': (Buffer);
  /**
   * "Unhandled" when the handler failed, as Lambda's X-Amz-Function-Error.
   */
  'functionError': (string);
  'executedVersion': (string);
  /**
   * The last 4 KB of the invocation's log, base64, when log_type is TAIL.
   */
  'logResult': (string);
  'requestId': (string);
  /**
   * What the platform measured, so clients can compare with the usage records.
   */
  'durationMs': (number);
  'billedDurationMs': (number);
  'initDurationMs': (number);
  'coldStart': (boolean);
  'nodeId': (string);
  /**
   * Lambda's REPORT line for this invocation.
   */
  'report': (string);
}
