// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto


export interface ListObjectsRequest {
  'bucket'?: (string);
  'prefix'?: (string);
  /**
   * Keys after this one only (S3's StartAfter, and the next page's start).
   */
  'startAfter'?: (string);
  'maxKeys'?: (number);
}

export interface ListObjectsRequest__Output {
  'bucket': (string);
  'prefix': (string);
  /**
   * Keys after this one only (S3's StartAfter, and the next page's start).
   */
  'startAfter': (string);
  'maxKeys': (number);
}
