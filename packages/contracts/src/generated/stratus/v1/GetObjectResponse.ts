// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto

import type { ObjectInfo as _stratus_v1_ObjectInfo, ObjectInfo__Output as _stratus_v1_ObjectInfo__Output } from '../../stratus/v1/ObjectInfo.js';

export interface GetObjectResponse {
  'info'?: (_stratus_v1_ObjectInfo | null);
  'chunk'?: (Buffer | Uint8Array | string);
  'part'?: "info"|"chunk";
}

export interface GetObjectResponse__Output {
  'info'?: (_stratus_v1_ObjectInfo__Output | null);
  'chunk'?: (Buffer);
  'part'?: "info"|"chunk";
}
