// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto

import type { FlexibleTimeWindow as _stratus_v1_FlexibleTimeWindow, FlexibleTimeWindow__Output as _stratus_v1_FlexibleTimeWindow__Output } from '../../stratus/v1/FlexibleTimeWindow.js';
import type { ScheduleTarget as _stratus_v1_ScheduleTarget, ScheduleTarget__Output as _stratus_v1_ScheduleTarget__Output } from '../../stratus/v1/ScheduleTarget.js';
import type { Long } from '@grpc/proto-loader';

export interface ScheduleInput {
  /**
   * 1 to 64 letters, digits, ".", "-" and "_".
   */
  'name'?: (string);
  /**
   * "rate(N minute|minutes|hour|hours|day|days)", "cron(minutes hours day-of-month month day-of-week year)"
   * or "at(yyyy-mm-ddThh:mm:ss)".
   */
  'scheduleExpression'?: (string);
  /**
   * IANA time zone cron() and at() are read in; empty: UTC.
   */
  'scheduleExpressionTimezone'?: (string);
  /**
   * No tick before this (ms since the epoch); 0: none.
   */
  'startDateMs'?: (number | string | Long);
  /**
   * No tick at or after this (ms since the epoch); 0: none.
   */
  'endDateMs'?: (number | string | Long);
  /**
   * "ENABLED" (default) or "DISABLED".
   */
  'state'?: (string);
  'description'?: (string);
  'flexibleTimeWindow'?: (_stratus_v1_FlexibleTimeWindow | null);
  'target'?: (_stratus_v1_ScheduleTarget | null);
  /**
   * "NONE" (default) or "DELETE": delete an at() schedule once it has fired.
   */
  'actionAfterCompletion'?: (string);
}

export interface ScheduleInput__Output {
  /**
   * 1 to 64 letters, digits, ".", "-" and "_".
   */
  'name': (string);
  /**
   * "rate(N minute|minutes|hour|hours|day|days)", "cron(minutes hours day-of-month month day-of-week year)"
   * or "at(yyyy-mm-ddThh:mm:ss)".
   */
  'scheduleExpression': (string);
  /**
   * IANA time zone cron() and at() are read in; empty: UTC.
   */
  'scheduleExpressionTimezone': (string);
  /**
   * No tick before this (ms since the epoch); 0: none.
   */
  'startDateMs': (number);
  /**
   * No tick at or after this (ms since the epoch); 0: none.
   */
  'endDateMs': (number);
  /**
   * "ENABLED" (default) or "DISABLED".
   */
  'state': (string);
  'description': (string);
  'flexibleTimeWindow': (_stratus_v1_FlexibleTimeWindow__Output | null);
  'target': (_stratus_v1_ScheduleTarget__Output | null);
  /**
   * "NONE" (default) or "DELETE": delete an at() schedule once it has fired.
   */
  'actionAfterCompletion': (string);
}
