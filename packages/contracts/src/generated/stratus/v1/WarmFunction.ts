// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto


export interface WarmFunction {
  'functionName'?: (string);
  'version'?: (string);
  'idle'?: (number);
  'busy'?: (number);
}

export interface WarmFunction__Output {
  'functionName': (string);
  'version': (string);
  'idle': (number);
  'busy': (number);
}
