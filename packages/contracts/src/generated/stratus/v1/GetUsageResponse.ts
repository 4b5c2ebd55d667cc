// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto

import type { FunctionUsage as _stratus_v1_FunctionUsage, FunctionUsage__Output as _stratus_v1_FunctionUsage__Output } from '../../stratus/v1/FunctionUsage.js';
import type { Long } from '@grpc/proto-loader';

export interface GetUsageResponse {
  'functions'?: (_stratus_v1_FunctionUsage)[];
  'total'?: (_stratus_v1_FunctionUsage | null);
  /**
   * The last usage-stream sequence the aggregator applied.
   */
  'appliedThroughSequence'?: (number | string | Long);
}

export interface GetUsageResponse__Output {
  'functions': (_stratus_v1_FunctionUsage__Output)[];
  'total': (_stratus_v1_FunctionUsage__Output | null);
  /**
   * The last usage-stream sequence the aggregator applied.
   */
  'appliedThroughSequence': (number);
}
