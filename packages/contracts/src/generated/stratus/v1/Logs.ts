// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/logs.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetLogsRequest as _stratus_v1_GetLogsRequest, GetLogsRequest__Output as _stratus_v1_GetLogsRequest__Output } from '../../stratus/v1/GetLogsRequest.js';
import type { GetLogsResponse as _stratus_v1_GetLogsResponse, GetLogsResponse__Output as _stratus_v1_GetLogsResponse__Output } from '../../stratus/v1/GetLogsResponse.js';
import type { LogEvent as _stratus_v1_LogEvent, LogEvent__Output as _stratus_v1_LogEvent__Output } from '../../stratus/v1/LogEvent.js';
import type { TailLogsRequest as _stratus_v1_TailLogsRequest, TailLogsRequest__Output as _stratus_v1_TailLogsRequest__Output } from '../../stratus/v1/TailLogsRequest.js';

/**
 * Function logs: the whole log text of each invocation (init output on a cold
 * start, START, the handler's console lines, END, REPORT), kept by function
 * for a limited time (a week by default), like CloudWatch Logs for Lambda.
 */
export interface LogsClient extends grpc.Client {
  /**
   * The newest `limit` invocations' logs of a function in a time range,
   * returned oldest first.
   */
  GetLogs(argument: _stratus_v1_GetLogsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_GetLogsResponse__Output>): grpc.ClientUnaryCall;
  GetLogs(argument: _stratus_v1_GetLogsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_GetLogsResponse__Output>): grpc.ClientUnaryCall;
  GetLogs(argument: _stratus_v1_GetLogsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_GetLogsResponse__Output>): grpc.ClientUnaryCall;
  GetLogs(argument: _stratus_v1_GetLogsRequest, callback: grpc.requestCallback<_stratus_v1_GetLogsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The newest `limit` invocations' logs of a function in a time range,
   * returned oldest first.
   */
  getLogs(argument: _stratus_v1_GetLogsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_GetLogsResponse__Output>): grpc.ClientUnaryCall;
  getLogs(argument: _stratus_v1_GetLogsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_GetLogsResponse__Output>): grpc.ClientUnaryCall;
  getLogs(argument: _stratus_v1_GetLogsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_GetLogsResponse__Output>): grpc.ClientUnaryCall;
  getLogs(argument: _stratus_v1_GetLogsRequest, callback: grpc.requestCallback<_stratus_v1_GetLogsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The newest `limit` invocations' logs, then each new one as it is written,
   * until the client cancels or the frontend shuts down.
   */
  TailLogs(argument: _stratus_v1_TailLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_stratus_v1_LogEvent__Output>;
  TailLogs(argument: _stratus_v1_TailLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_stratus_v1_LogEvent__Output>;
  /**
   * The newest `limit` invocations' logs, then each new one as it is written,
   * until the client cancels or the frontend shuts down.
   */
  tailLogs(argument: _stratus_v1_TailLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_stratus_v1_LogEvent__Output>;
  tailLogs(argument: _stratus_v1_TailLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_stratus_v1_LogEvent__Output>;
  
}

/**
 * Function logs: the whole log text of each invocation (init output on a cold
 * start, START, the handler's console lines, END, REPORT), kept by function
 * for a limited time (a week by default), like CloudWatch Logs for Lambda.
 */
export interface LogsHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The newest `limit` invocations' logs of a function in a time range,
   * returned oldest first.
   */
  GetLogs: grpc.handleUnaryCall<_stratus_v1_GetLogsRequest__Output, _stratus_v1_GetLogsResponse>;
  
  /**
   * The newest `limit` invocations' logs, then each new one as it is written,
   * until the client cancels or the frontend shuts down.
   */
  TailLogs: grpc.handleServerStreamingCall<_stratus_v1_TailLogsRequest__Output, _stratus_v1_LogEvent>;
  
}

export interface LogsDefinition extends grpc.ServiceDefinition {
  GetLogs: MethodDefinition<_stratus_v1_GetLogsRequest, _stratus_v1_GetLogsResponse, _stratus_v1_GetLogsRequest__Output, _stratus_v1_GetLogsResponse__Output>
  TailLogs: MethodDefinition<_stratus_v1_TailLogsRequest, _stratus_v1_LogEvent, _stratus_v1_TailLogsRequest__Output, _stratus_v1_LogEvent__Output>
}
