// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/invoke.proto

export const InvocationType = {
  REQUEST_RESPONSE: 'REQUEST_RESPONSE',
  EVENT: 'EVENT',
  DRY_RUN: 'DRY_RUN',
} as const;

export type InvocationType =
  | 'REQUEST_RESPONSE'
  | 0
  | 'EVENT'
  | 1
  | 'DRY_RUN'
  | 2

export type InvocationType__Output = typeof InvocationType[keyof typeof InvocationType]
