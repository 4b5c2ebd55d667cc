// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto

import type { FunctionCode as _stratus_v1_FunctionCode, FunctionCode__Output as _stratus_v1_FunctionCode__Output } from '../../stratus/v1/FunctionCode.js';
import type { EgressConfig as _stratus_v1_EgressConfig, EgressConfig__Output as _stratus_v1_EgressConfig__Output } from '../../stratus/v1/EgressConfig.js';
import type { LoggingConfig as _stratus_v1_LoggingConfig, LoggingConfig__Output as _stratus_v1_LoggingConfig__Output } from '../../stratus/v1/LoggingConfig.js';

export interface UpdateFunctionRequest {
  'functionName'?: (string);
  'handler'?: (string);
  'memorySizeMb'?: (number);
  'timeoutSec'?: (number);
  /**
   * Replaces the whole environment when replace_environment is true.
   */
  'environment'?: ({[key: string]: string});
  'replaceEnvironment'?: (boolean);
  'description'?: (string);
  'code'?: (_stratus_v1_FunctionCode | null);
  /**
   * Replaces the whole egress setting when set.
   */
  'egress'?: (_stratus_v1_EgressConfig | null);
  'ephemeralStorageMb'?: (number);
  /**
   * Replaces the whole logging setting when set.
   */
  'loggingConfig'?: (_stratus_v1_LoggingConfig | null);
  /**
   * Added to the function's tags (a key given again takes the new value);
   * replaces them all when replace_tags is true.
   */
  'tags'?: ({[key: string]: string});
  'replaceTags'?: (boolean);
  '_handler'?: "handler";
  '_memorySizeMb'?: "memorySizeMb";
  '_timeoutSec'?: "timeoutSec";
  '_description'?: "description";
  '_ephemeralStorageMb'?: "ephemeralStorageMb";
}

export interface UpdateFunctionRequest__Output {
  'functionName': (string);
  'handler'?: (string);
  'memorySizeMb'?: (number);
  'timeoutSec'?: (number);
  /**
   * Replaces the whole environment when replace_environment is true.
   */
  'environment': ({[key: string]: string});
  'replaceEnvironment': (boolean);
  'description'?: (string);
  'code': (_stratus_v1_FunctionCode__Output | null);
  /**
   * Replaces the whole egress setting when set.
   */
  'egress': (_stratus_v1_EgressConfig__Output | null);
  'ephemeralStorageMb'?: (number);
  /**
   * Replaces the whole logging setting when set.
   */
  'loggingConfig': (_stratus_v1_LoggingConfig__Output | null);
  /**
   * Added to the function's tags (a key given again takes the new value);
   * replaces them all when replace_tags is true.
   */
  'tags': ({[key: string]: string});
  'replaceTags': (boolean);
  '_handler'?: "handler";
  '_memorySizeMb'?: "memorySizeMb";
  '_timeoutSec'?: "timeoutSec";
  '_description'?: "description";
  '_ephemeralStorageMb'?: "ephemeralStorageMb";
}
