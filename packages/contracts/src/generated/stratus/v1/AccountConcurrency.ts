// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto

import type { FunctionConcurrency as _stratus_v1_FunctionConcurrency, FunctionConcurrency__Output as _stratus_v1_FunctionConcurrency__Output } from '../../stratus/v1/FunctionConcurrency.js';

export interface AccountConcurrency {
  'concurrentExecutionsLimit'?: (number);
  'unreservedConcurrentExecutions'?: (number);
  'inFlight'?: (number);
  /**
   * Live frontends; each admits its equal share of every limit.
   */
  'frontends'?: (number);
  'functions'?: (_stratus_v1_FunctionConcurrency)[];
}

export interface AccountConcurrency__Output {
  'concurrentExecutionsLimit': (number);
  'unreservedConcurrentExecutions': (number);
  'inFlight': (number);
  /**
   * Live frontends; each admits its equal share of every limit.
   */
  'frontends': (number);
  'functions': (_stratus_v1_FunctionConcurrency__Output)[];
}
