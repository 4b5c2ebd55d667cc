// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/invoke.proto

export const LogType = {
  NONE: 'NONE',
  TAIL: 'TAIL',
} as const;

export type LogType =
  | 'NONE'
  | 0
  | 'TAIL'
  | 1

export type LogType__Output = typeof LogType[keyof typeof LogType]
