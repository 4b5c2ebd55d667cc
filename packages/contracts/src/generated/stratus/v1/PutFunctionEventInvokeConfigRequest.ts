// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto

import type { DestinationConfig as _stratus_v1_DestinationConfig, DestinationConfig__Output as _stratus_v1_DestinationConfig__Output } from '../../stratus/v1/DestinationConfig.js';

export interface PutFunctionEventInvokeConfigRequest {
  'functionName'?: (string);
  /**
   * Only $LATEST (or empty) until versions exist.
   */
  'qualifier'?: (string);
  'maximumRetryAttempts'?: (number);
  'maximumEventAgeInSeconds'?: (number);
  /**
   * Absent: none (Put) or unchanged (Update). A target with an empty destination removes it.
   */
  'destinationConfig'?: (_stratus_v1_DestinationConfig | null);
  'recursiveLoop'?: (string);
  '_maximumRetryAttempts'?: "maximumRetryAttempts";
  '_maximumEventAgeInSeconds'?: "maximumEventAgeInSeconds";
  '_recursiveLoop'?: "recursiveLoop";
}

export interface PutFunctionEventInvokeConfigRequest__Output {
  'functionName': (string);
  /**
   * Only $LATEST (or empty) until versions exist.
   */
  'qualifier': (string);
  'maximumRetryAttempts'?: (number);
  'maximumEventAgeInSeconds'?: (number);
  /**
   * Absent: none (Put) or unchanged (Update). A target with an empty destination removes it.
   */
  'destinationConfig': (_stratus_v1_DestinationConfig__Output | null);
  'recursiveLoop'?: (string);
  '_maximumRetryAttempts'?: "maximumRetryAttempts";
  '_maximumEventAgeInSeconds'?: "maximumEventAgeInSeconds";
  '_recursiveLoop'?: "recursiveLoop";
}
