// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/schedules.proto

import type { FlexibleTimeWindow as _stratus_v1_FlexibleTimeWindow, FlexibleTimeWindow__Output as _stratus_v1_FlexibleTimeWindow__Output } from '../../stratus/v1/FlexibleTimeWindow.js';
import type { ScheduleTarget as _stratus_v1_ScheduleTarget, ScheduleTarget__Output as _stratus_v1_ScheduleTarget__Output } from '../../stratus/v1/ScheduleTarget.js';
import type { Long } from '@grpc/proto-loader';

export interface Schedule {
  'name'?: (string);
  'arn'?: (string);
  'scheduleExpression'?: (string);
  'scheduleExpressionTimezone'?: (string);
  'startDateMs'?: (number | string | Long);
  'endDateMs'?: (number | string | Long);
  'state'?: (string);
  'description'?: (string);
  'flexibleTimeWindow'?: (_stratus_v1_FlexibleTimeWindow | null);
  'target'?: (_stratus_v1_ScheduleTarget | null);
  'actionAfterCompletion'?: (string);
  'creationDateMs'?: (number | string | Long);
  'lastModificationDateMs'?: (number | string | Long);
  /**
   * The next tick after now (ms since the epoch); 0: none left.
   */
  'nextFireMs'?: (number | string | Long);
}

export interface Schedule__Output {
  'name': (string);
  'arn': (string);
  'scheduleExpression': (string);
  'scheduleExpressionTimezone': (string);
  'startDateMs': (number);
  'endDateMs': (number);
  'state': (string);
  'description': (string);
  'flexibleTimeWindow': (_stratus_v1_FlexibleTimeWindow__Output | null);
  'target': (_stratus_v1_ScheduleTarget__Output | null);
  'actionAfterCompletion': (string);
  'creationDateMs': (number);
  'lastModificationDateMs': (number);
  /**
   * The next tick after now (ms since the epoch); 0: none left.
   */
  'nextFireMs': (number);
}
