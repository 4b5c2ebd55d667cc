// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DeleteScheduleResponse as _stratus_v1_DeleteScheduleResponse, DeleteScheduleResponse__Output as _stratus_v1_DeleteScheduleResponse__Output } from './stratus/v1/DeleteScheduleResponse.js';
import type { FlexibleTimeWindow as _stratus_v1_FlexibleTimeWindow, FlexibleTimeWindow__Output as _stratus_v1_FlexibleTimeWindow__Output } from './stratus/v1/FlexibleTimeWindow.js';
import type { GetScheduleRequest as _stratus_v1_GetScheduleRequest, GetScheduleRequest__Output as _stratus_v1_GetScheduleRequest__Output } from './stratus/v1/GetScheduleRequest.js';
import type { ListSchedulesRequest as _stratus_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _stratus_v1_ListSchedulesRequest__Output } from './stratus/v1/ListSchedulesRequest.js';
import type { ListSchedulesResponse as _stratus_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _stratus_v1_ListSchedulesResponse__Output } from './stratus/v1/ListSchedulesResponse.js';
import type { Schedule as _stratus_v1_Schedule, Schedule__Output as _stratus_v1_Schedule__Output } from './stratus/v1/Schedule.js';
import type { ScheduleInput as _stratus_v1_ScheduleInput, ScheduleInput__Output as _stratus_v1_ScheduleInput__Output } from './stratus/v1/ScheduleInput.js';
import type { ScheduleTarget as _stratus_v1_ScheduleTarget, ScheduleTarget__Output as _stratus_v1_ScheduleTarget__Output } from './stratus/v1/ScheduleTarget.js';
import type { SchedulesClient as _stratus_v1_SchedulesClient, SchedulesDefinition as _stratus_v1_SchedulesDefinition } from './stratus/v1/Schedules.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      DeleteScheduleResponse: MessageTypeDefinition<_stratus_v1_DeleteScheduleResponse, _stratus_v1_DeleteScheduleResponse__Output>
      FlexibleTimeWindow: MessageTypeDefinition<_stratus_v1_FlexibleTimeWindow, _stratus_v1_FlexibleTimeWindow__Output>
      GetScheduleRequest: MessageTypeDefinition<_stratus_v1_GetScheduleRequest, _stratus_v1_GetScheduleRequest__Output>
      ListSchedulesRequest: MessageTypeDefinition<_stratus_v1_ListSchedulesRequest, _stratus_v1_ListSchedulesRequest__Output>
      ListSchedulesResponse: MessageTypeDefinition<_stratus_v1_ListSchedulesResponse, _stratus_v1_ListSchedulesResponse__Output>
      Schedule: MessageTypeDefinition<_stratus_v1_Schedule, _stratus_v1_Schedule__Output>
      ScheduleInput: MessageTypeDefinition<_stratus_v1_ScheduleInput, _stratus_v1_ScheduleInput__Output>
      ScheduleTarget: MessageTypeDefinition<_stratus_v1_ScheduleTarget, _stratus_v1_ScheduleTarget__Output>
      /**
       * Schedules that invoke a function asynchronously, modelled on Amazon
       * EventBridge Scheduler: rate(), cron() and at() expressions, a time zone,
       * start and end dates, a flexible window, and a target with its input.
       * Each tick is enqueued once cluster-wide, however many frontends run.
       */
      Schedules: SubtypeConstructor<typeof grpc.Client, _stratus_v1_SchedulesClient> & { service: _stratus_v1_SchedulesDefinition }
    }
  }
}

