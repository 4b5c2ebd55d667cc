// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto

import type { FunctionCode as _stratus_v1_FunctionCode, FunctionCode__Output as _stratus_v1_FunctionCode__Output } from '../../stratus/v1/FunctionCode.js';
import type { EgressConfig as _stratus_v1_EgressConfig, EgressConfig__Output as _stratus_v1_EgressConfig__Output } from '../../stratus/v1/EgressConfig.js';
import type { LoggingConfig as _stratus_v1_LoggingConfig, LoggingConfig__Output as _stratus_v1_LoggingConfig__Output } from '../../stratus/v1/LoggingConfig.js';

export interface CreateFunctionRequest {
  'functionName'?: (string);
  /**
   * "file.export" (Lambda's format). Default "index.handler".
   */
  'handler'?: (string);
  /**
   * 128..10240. Default 128.
   */
  'memorySizeMb'?: (number);
  /**
   * 1..900. Default 3 (Lambda's default).
   */
  'timeoutSec'?: (number);
  'environment'?: ({[key: string]: string});
  'description'?: (string);
  'code'?: (_stratus_v1_FunctionCode | null);
  /**
   * "nodejs20.x" is the only runtime. Default "nodejs20.x".
   */
  'runtime'?: (string);
  /**
   * Outbound network access. Default: public addresses only.
   */
  'egress'?: (_stratus_v1_EgressConfig | null);
  /**
   * What /tmp may hold, 512..10240 (Lambda's EphemeralStorage.Size). Default 512.
   * /tmp lives in the isolate's memory, so memory_size_mb bounds it too.
   */
  'ephemeralStorageMb'?: (number);
  /**
   * Lambda's LoggingConfig. Default: Text, log group /aws/lambda/<name>.
   */
  'loggingConfig'?: (_stratus_v1_LoggingConfig | null);
  /**
   * Lambda's Tags: at most 50; keys 1..128 characters (not starting with "aws:"),
   * values up to 256, each of letters, digits, spaces and _ . : / = + - @.
   */
  'tags'?: ({[key: string]: string});
}

export interface CreateFunctionRequest__Output {
  'functionName': (string);
  /**
   * "file.export" (Lambda's format). Default "index.handler".
   */
  'handler': (string);
  /**
   * 128..10240. Default 128.
   */
  'memorySizeMb': (number);
  /**
   * 1..900. Default 3 (Lambda's default).
   */
  'timeoutSec': (number);
  'environment': ({[key: string]: string});
  'description': (string);
  'code': (_stratus_v1_FunctionCode__Output | null);
  /**
   * "nodejs20.x" is the only runtime. Default "nodejs20.x".
   */
  'runtime': (string);
  /**
   * Outbound network access. Default: public addresses only.
   */
  'egress': (_stratus_v1_EgressConfig__Output | null);
  /**
   * What /tmp may hold, 512..10240 (Lambda's EphemeralStorage.Size). Default 512.
   * /tmp lives in the isolate's memory, so memory_size_mb bounds it too.
   */
  'ephemeralStorageMb': (number);
  /**
   * Lambda's LoggingConfig. Default: Text, log group /aws/lambda/<name>.
   */
  'loggingConfig': (_stratus_v1_LoggingConfig__Output | null);
  /**
   * Lambda's Tags: at most 50; keys 1..128 characters (not starting with "aws:"),
   * values up to 256, each of letters, digits, spaces and _ . : / = + - @.
   */
  'tags': ({[key: string]: string});
}
