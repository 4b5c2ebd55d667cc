// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto

import type { PutObjectHeader as _stratus_v1_PutObjectHeader, PutObjectHeader__Output as _stratus_v1_PutObjectHeader__Output } from '../../stratus/v1/PutObjectHeader.js';

export interface PutObjectRequest {
  'header'?: (_stratus_v1_PutObjectHeader | null);
  'chunk'?: (Buffer | Uint8Array | string);
  'part'?: "header"|"chunk";
}

export interface PutObjectRequest__Output {
  'header'?: (_stratus_v1_PutObjectHeader__Output | null);
  'chunk'?: (Buffer);
  'part'?: "header"|"chunk";
}
