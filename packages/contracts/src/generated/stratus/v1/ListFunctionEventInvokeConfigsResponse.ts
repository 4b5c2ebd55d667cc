// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto

import type { FunctionEventInvokeConfig as _stratus_v1_FunctionEventInvokeConfig, FunctionEventInvokeConfig__Output as _stratus_v1_FunctionEventInvokeConfig__Output } from '../../stratus/v1/FunctionEventInvokeConfig.js';

export interface ListFunctionEventInvokeConfigsResponse {
  'functionEventInvokeConfigs'?: (_stratus_v1_FunctionEventInvokeConfig)[];
}

export interface ListFunctionEventInvokeConfigsResponse__Output {
  'functionEventInvokeConfigs': (_stratus_v1_FunctionEventInvokeConfig__Output)[];
}
