// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteScheduleResponse as _stratus_v1_DeleteScheduleResponse, DeleteScheduleResponse__Output as _stratus_v1_DeleteScheduleResponse__Output } from '../../stratus/v1/DeleteScheduleResponse.js';
import type { GetScheduleRequest as _stratus_v1_GetScheduleRequest, GetScheduleRequest__Output as _stratus_v1_GetScheduleRequest__Output } from '../../stratus/v1/GetScheduleRequest.js';
import type { ListSchedulesRequest as _stratus_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _stratus_v1_ListSchedulesRequest__Output } from '../../stratus/v1/ListSchedulesRequest.js';
import type { ListSchedulesResponse as _stratus_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _stratus_v1_ListSchedulesResponse__Output } from '../../stratus/v1/ListSchedulesResponse.js';
import type { Schedule as _stratus_v1_Schedule, Schedule__Output as _stratus_v1_Schedule__Output } from '../../stratus/v1/Schedule.js';
import type { ScheduleInput as _stratus_v1_ScheduleInput, ScheduleInput__Output as _stratus_v1_ScheduleInput__Output } from '../../stratus/v1/ScheduleInput.js';

/**
 * Schedules that invoke a function asynchronously, modelled on Amazon
 * EventBridge Scheduler: rate(), cron() and at() expressions, a time zone,
 * start and end dates, a flexible window, and a target with its input.
 * Each tick is enqueued once cluster-wide, however many frontends run.
 */
export interface SchedulesClient extends grpc.Client {
  CreateSchedule(argument: _stratus_v1_ScheduleInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _stratus_v1_ScheduleInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _stratus_v1_ScheduleInput, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _stratus_v1_ScheduleInput, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _stratus_v1_ScheduleInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _stratus_v1_ScheduleInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _stratus_v1_ScheduleInput, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _stratus_v1_ScheduleInput, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  
  DeleteSchedule(argument: _stratus_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _stratus_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _stratus_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _stratus_v1_GetScheduleRequest, callback: grpc.requestCallback<_stratus_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _stratus_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _stratus_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _stratus_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _stratus_v1_GetScheduleRequest, callback: grpc.requestCallback<_stratus_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  GetSchedule(argument: _stratus_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _stratus_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _stratus_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _stratus_v1_GetScheduleRequest, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _stratus_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _stratus_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _stratus_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _stratus_v1_GetScheduleRequest, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  
  ListSchedules(argument: _stratus_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _stratus_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _stratus_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _stratus_v1_ListSchedulesRequest, callback: grpc.requestCallback<_stratus_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _stratus_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _stratus_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _stratus_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _stratus_v1_ListSchedulesRequest, callback: grpc.requestCallback<_stratus_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replaces the whole schedule (EventBridge Scheduler's UpdateSchedule): fields not given take their defaults.
   */
  UpdateSchedule(argument: _stratus_v1_ScheduleInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  UpdateSchedule(argument: _stratus_v1_ScheduleInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  UpdateSchedule(argument: _stratus_v1_ScheduleInput, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  UpdateSchedule(argument: _stratus_v1_ScheduleInput, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  /**
   * Replaces the whole schedule (EventBridge Scheduler's UpdateSchedule): fields not given take their defaults.
   */
  updateSchedule(argument: _stratus_v1_ScheduleInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  updateSchedule(argument: _stratus_v1_ScheduleInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  updateSchedule(argument: _stratus_v1_ScheduleInput, options: grpc.CallOptions, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  updateSchedule(argument: _stratus_v1_ScheduleInput, callback: grpc.requestCallback<_stratus_v1_Schedule__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Schedules that invoke a function asynchronously, modelled on Amazon
 * EventBridge Scheduler: rate(), cron() and at() expressions, a time zone,
 * start and end dates, a flexible window, and a target with its input.
 * Each tick is enqueued once cluster-wide, however many frontends run.
 */
export interface SchedulesHandlers extends grpc.UntypedServiceImplementation {
  CreateSchedule: grpc.handleUnaryCall<_stratus_v1_ScheduleInput__Output, _stratus_v1_Schedule>;
  
  DeleteSchedule: grpc.handleUnaryCall<_stratus_v1_GetScheduleRequest__Output, _stratus_v1_DeleteScheduleResponse>;
  
  GetSchedule: grpc.handleUnaryCall<_stratus_v1_GetScheduleRequest__Output, _stratus_v1_Schedule>;
  
  ListSchedules: grpc.handleUnaryCall<_stratus_v1_ListSchedulesRequest__Output, _stratus_v1_ListSchedulesResponse>;
  
  /**
   * Replaces the whole schedule (EventBridge Scheduler's UpdateSchedule): fields not given take their defaults.
   */
  UpdateSchedule: grpc.handleUnaryCall<_stratus_v1_ScheduleInput__Output, _stratus_v1_Schedule>;
  
}

export interface SchedulesDefinition extends grpc.ServiceDefinition {
  CreateSchedule: MethodDefinition<_stratus_v1_ScheduleInput, _stratus_v1_Schedule, _stratus_v1_ScheduleInput__Output, _stratus_v1_Schedule__Output>
  DeleteSchedule: MethodDefinition<_stratus_v1_GetScheduleRequest, _stratus_v1_DeleteScheduleResponse, _stratus_v1_GetScheduleRequest__Output, _stratus_v1_DeleteScheduleResponse__Output>
  GetSchedule: MethodDefinition<_stratus_v1_GetScheduleRequest, _stratus_v1_Schedule, _stratus_v1_GetScheduleRequest__Output, _stratus_v1_Schedule__Output>
  ListSchedules: MethodDefinition<_stratus_v1_ListSchedulesRequest, _stratus_v1_ListSchedulesResponse, _stratus_v1_ListSchedulesRequest__Output, _stratus_v1_ListSchedulesResponse__Output>
  UpdateSchedule: MethodDefinition<_stratus_v1_ScheduleInput, _stratus_v1_Schedule, _stratus_v1_ScheduleInput__Output, _stratus_v1_Schedule__Output>
}
