// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto

import type { EgressConfig as _stratus_v1_EgressConfig, EgressConfig__Output as _stratus_v1_EgressConfig__Output } from '../../stratus/v1/EgressConfig.js';
import type { LoggingConfig as _stratus_v1_LoggingConfig, LoggingConfig__Output as _stratus_v1_LoggingConfig__Output } from '../../stratus/v1/LoggingConfig.js';
import type { Long } from '@grpc/proto-loader';

export interface FunctionConfiguration {
  'functionName'?: (string);
  'functionArn'?: (string);
  'runtime'?: (string);
  'handler'?: (string);
  'memorySizeMb'?: (number);
  'timeoutSec'?: (number);
  'environment'?: ({[key: string]: string});
  'description'?: (string);
  /**
   * Hex SHA-256 of the deployed bundle: the key nodes fetch and cache the code by.
   */
  'codeSha256'?: (string);
  'codeSize'?: (number | string | Long);
  'version'?: (string);
  /**
   * ISO 8601.
   */
  'lastModified'?: (string);
  /**
   * Bumped on every change; a change made against a stale revision is refused.
   */
  'revision'?: (number | string | Long);
  'hasReservedConcurrency'?: (boolean);
  'reservedConcurrency'?: (number);
  /**
   * What deploying this code found that the user should know: problems
   * Lambda reports only when a function loads or runs (a missing handler
   * file, a syntax error, a module that cannot be found) and Node.js
   * built-ins Stratus lacks. Set only in CreateFunction and UpdateFunction
   * responses that uploaded code; empty elsewhere.
   */
  'deployWarnings'?: (string)[];
  'egress'?: (_stratus_v1_EgressConfig | null);
  /**
   * What /tmp may hold (Lambda's EphemeralStorage.Size).
   */
  'ephemeralStorageMb'?: (number);
  /**
   * Always filled in: defaults resolved (levels only with JSON).
   */
  'loggingConfig'?: (_stratus_v1_LoggingConfig | null);
  'tags'?: ({[key: string]: string});
}

export interface FunctionConfiguration__Output {
  'functionName': (string);
  'functionArn': (string);
  'runtime': (string);
  'handler': (string);
  'memorySizeMb': (number);
  'timeoutSec': (number);
  'environment': ({[key: string]: string});
  'description': (string);
  /**
   * Hex SHA-256 of the deployed bundle: the key nodes fetch and cache the code by.
   */
  'codeSha256': (string);
  'codeSize': (number);
  'version': (string);
  /**
   * ISO 8601.
   */
  'lastModified': (string);
  /**
   * Bumped on every change; a change made against a stale revision is refused.
   */
  'revision': (number);
  'hasReservedConcurrency': (boolean);
  'reservedConcurrency': (number);
  /**
   * What deploying this code found that the user should know: problems
   * Lambda reports only when a function loads or runs (a missing handler
   * file, a syntax error, a module that cannot be found) and Node.js
   * built-ins Stratus lacks. Set only in CreateFunction and UpdateFunction
   * responses that uploaded code; empty elsewhere.
   */
  'deployWarnings': (string)[];
  'egress': (_stratus_v1_EgressConfig__Output | null);
  /**
   * What /tmp may hold (Lambda's EphemeralStorage.Size).
   */
  'ephemeralStorageMb': (number);
  /**
   * Always filled in: defaults resolved (levels only with JSON).
   */
  'loggingConfig': (_stratus_v1_LoggingConfig__Output | null);
  'tags': ({[key: string]: string});
}
