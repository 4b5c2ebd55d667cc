// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto

import type { ObjectInfo as _stratus_v1_ObjectInfo, ObjectInfo__Output as _stratus_v1_ObjectInfo__Output } from '../../stratus/v1/ObjectInfo.js';

export interface ListObjectsResponse {
  'objects'?: (_stratus_v1_ObjectInfo)[];
  'isTruncated'?: (boolean);
  /**
   * The start_after of the next page, when truncated.
   */
  'nextStartAfter'?: (string);
}

export interface ListObjectsResponse__Output {
  'objects': (_stratus_v1_ObjectInfo__Output)[];
  'isTruncated': (boolean);
  /**
   * The start_after of the next page, when truncated.
   */
  'nextStartAfter': (string);
}
