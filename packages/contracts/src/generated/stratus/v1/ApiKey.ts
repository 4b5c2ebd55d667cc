// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

export interface ApiKey {
  /**
   * 20 characters, "SK" then base32: usable as an AWS access key id.
   */
  'keyId'?: (string);
  'scopes'?: (string)[];
  'description'?: (string);
  /**
   * Milliseconds since the epoch.
   */
  'createdAtMs'?: (number | string | Long);
}

export interface ApiKey__Output {
  /**
   * 20 characters, "SK" then base32: usable as an AWS access key id.
   */
  'keyId': (string);
  'scopes': (string)[];
  'description': (string);
  /**
   * Milliseconds since the epoch.
   */
  'createdAtMs': (number);
}
