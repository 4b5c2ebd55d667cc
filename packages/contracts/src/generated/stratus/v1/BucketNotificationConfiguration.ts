// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto

import type { LambdaFunctionConfiguration as _stratus_v1_LambdaFunctionConfiguration, LambdaFunctionConfiguration__Output as _stratus_v1_LambdaFunctionConfiguration__Output } from '../../stratus/v1/LambdaFunctionConfiguration.js';

export interface BucketNotificationConfiguration {
  'bucket'?: (string);
  'lambdaFunctionConfigurations'?: (_stratus_v1_LambdaFunctionConfiguration)[];
}

export interface BucketNotificationConfiguration__Output {
  'bucket': (string);
  'lambdaFunctionConfigurations': (_stratus_v1_LambdaFunctionConfiguration__Output)[];
}
