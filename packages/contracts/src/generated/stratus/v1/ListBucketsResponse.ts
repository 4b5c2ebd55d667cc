// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto

import type { Bucket as _stratus_v1_Bucket, Bucket__Output as _stratus_v1_Bucket__Output } from '../../stratus/v1/Bucket.js';

export interface ListBucketsResponse {
  'buckets'?: (_stratus_v1_Bucket)[];
}

export interface ListBucketsResponse__Output {
  'buckets': (_stratus_v1_Bucket__Output)[];
}
