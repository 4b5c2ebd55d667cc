// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto

import type { DestinationConfig as _stratus_v1_DestinationConfig, DestinationConfig__Output as _stratus_v1_DestinationConfig__Output } from '../../stratus/v1/DestinationConfig.js';

export interface FunctionEventInvokeConfig {
  'functionArn'?: (string);
  /**
   * ISO 8601.
   */
  'lastModified'?: (string);
  /**
   * 0 to 2 (default 2): attempts after the first when the handler fails or times out.
   */
  'maximumRetryAttempts'?: (number);
  /**
   * 60 to 21600 (default 21600): how long an event may wait, retries included.
   */
  'maximumEventAgeInSeconds'?: (number);
  'destinationConfig'?: (_stratus_v1_DestinationConfig | null);
  /**
   * "Terminate" (default): an event chain deeper than 16 is stopped; "Allow": it is not.
   */
  'recursiveLoop'?: (string);
}

export interface FunctionEventInvokeConfig__Output {
  'functionArn': (string);
  /**
   * ISO 8601.
   */
  'lastModified': (string);
  /**
   * 0 to 2 (default 2): attempts after the first when the handler fails or times out.
   */
  'maximumRetryAttempts': (number);
  /**
   * 60 to 21600 (default 21600): how long an event may wait, retries included.
   */
  'maximumEventAgeInSeconds': (number);
  'destinationConfig': (_stratus_v1_DestinationConfig__Output | null);
  /**
   * "Terminate" (default): an event chain deeper than 16 is stopped; "Allow": it is not.
   */
  'recursiveLoop': (string);
}
