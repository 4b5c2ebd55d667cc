// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/functions.proto

import type { FunctionConfiguration as _stratus_v1_FunctionConfiguration, FunctionConfiguration__Output as _stratus_v1_FunctionConfiguration__Output } from '../../stratus/v1/FunctionConfiguration.js';

export interface ListFunctionsResponse {
  'functions'?: (_stratus_v1_FunctionConfiguration)[];
}

export interface ListFunctionsResponse__Output {
  'functions': (_stratus_v1_FunctionConfiguration__Output)[];
}
