// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetLogsRequest as _stratus_v1_GetLogsRequest, GetLogsRequest__Output as _stratus_v1_GetLogsRequest__Output } from './stratus/v1/GetLogsRequest.js';
import type { GetLogsResponse as _stratus_v1_GetLogsResponse, GetLogsResponse__Output as _stratus_v1_GetLogsResponse__Output } from './stratus/v1/GetLogsResponse.js';
import type { InvocationLogEvent as _stratus_v1_InvocationLogEvent, InvocationLogEvent__Output as _stratus_v1_InvocationLogEvent__Output } from './stratus/v1/InvocationLogEvent.js';
import type { LogEvent as _stratus_v1_LogEvent, LogEvent__Output as _stratus_v1_LogEvent__Output } from './stratus/v1/LogEvent.js';
import type { LogsClient as _stratus_v1_LogsClient, LogsDefinition as _stratus_v1_LogsDefinition } from './stratus/v1/Logs.js';
import type { TailLogsRequest as _stratus_v1_TailLogsRequest, TailLogsRequest__Output as _stratus_v1_TailLogsRequest__Output } from './stratus/v1/TailLogsRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      GetLogsRequest: MessageTypeDefinition<_stratus_v1_GetLogsRequest, _stratus_v1_GetLogsRequest__Output>
      GetLogsResponse: MessageTypeDefinition<_stratus_v1_GetLogsResponse, _stratus_v1_GetLogsResponse__Output>
      InvocationLogEvent: MessageTypeDefinition<_stratus_v1_InvocationLogEvent, _stratus_v1_InvocationLogEvent__Output>
      LogEvent: MessageTypeDefinition<_stratus_v1_LogEvent, _stratus_v1_LogEvent__Output>
      /**
       * Function logs: the whole log text of each invocation (init output on a cold
       * start, START, the handler's console lines, END, REPORT), kept by function
       * for a limited time (a week by default), like CloudWatch Logs for Lambda.
       */
      Logs: SubtypeConstructor<typeof grpc.Client, _stratus_v1_LogsClient> & { service: _stratus_v1_LogsDefinition }
      TailLogsRequest: MessageTypeDefinition<_stratus_v1_TailLogsRequest, _stratus_v1_TailLogsRequest__Output>
    }
  }
}

