// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/versions.proto

import type { FunctionConfiguration as _stratus_v1_FunctionConfiguration, FunctionConfiguration__Output as _stratus_v1_FunctionConfiguration__Output } from '../../stratus/v1/FunctionConfiguration.js';

export interface ListVersionsByFunctionResponse {
  'versions'?: (_stratus_v1_FunctionConfiguration)[];
  /**
   * Empty on the last page.
   */
  'nextMarker'?: (string);
}

export interface ListVersionsByFunctionResponse__Output {
  'versions': (_stratus_v1_FunctionConfiguration__Output)[];
  /**
   * Empty on the last page.
   */
  'nextMarker': (string);
}
