// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/objects.proto


export interface ObjectRequest {
  'bucket'?: (string);
  'key'?: (string);
}

export interface ObjectRequest__Output {
  'bucket': (string);
  'key': (string);
}
