// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/keys.proto

import type { ApiKey as _stratus_v1_ApiKey, ApiKey__Output as _stratus_v1_ApiKey__Output } from '../../stratus/v1/ApiKey.js';

export interface CreateKeyResponse {
  'key'?: (_stratus_v1_ApiKey | null);
  /**
   * 40 letters and digits: usable as an AWS secret access key. Shown only here.
   */
  'secret'?: (string);
}

export interface CreateKeyResponse__Output {
  'key': (_stratus_v1_ApiKey__Output | null);
  /**
   * 40 letters and digits: usable as an AWS secret access key. Shown only here.
   */
  'secret': (string);
}
