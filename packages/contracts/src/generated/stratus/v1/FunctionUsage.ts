// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/cluster.proto

import type { Long } from '@grpc/proto-loader';

export interface FunctionUsage {
  'functionName'?: (string);
  'requests'?: (number | string | Long);
  'billedMs'?: (number | string | Long);
  'durationMs'?: (number | string);
  'gbSeconds'?: (number | string);
  'costUsd'?: (number | string);
  'errors'?: (number | string | Long);
  'coldStarts'?: (number | string | Long);
}

export interface FunctionUsage__Output {
  'functionName': (string);
  'requests': (number);
  'billedMs': (number);
  'durationMs': (number);
  'gbSeconds': (number);
  'costUsd': (number);
  'errors': (number);
  'coldStarts': (number);
}
