// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/triggers.proto

import type { Long } from '@grpc/proto-loader';

export interface Trigger {
  /**
   * What sort of event source: "schedule", and the kinds other sources register.
   */
  'kind'?: (string);
  /**
   * The trigger's name, unique within its kind.
   */
  'name'?: (string);
  'functionName'?: (string);
  /**
   * The version or alias invoked; empty: $LATEST.
   */
  'qualifier'?: (string);
  /**
   * "ENABLED" or "DISABLED", or a source's own word for why it does not fire ("FAILING", "COMPLETED").
   */
  'state'?: (string);
  /**
   * Where events come from, in the source's own terms: a schedule expression, a subject, a bucket.
   */
  'source'?: (string);
  /**
   * When it last invoked (ms since the epoch); 0: not yet, as far as this frontend knows.
   */
  'lastFireMs'?: (number | string | Long);
  /**
   * When it next will; 0: not known or never (a stream source, a finished schedule).
   */
  'nextFireMs'?: (number | string | Long);
  /**
   * How late the last firing was, or how old the oldest waiting event is, in ms.
   */
  'lagMs'?: (number | string | Long);
  /**
   * Events waiting to be handed to the function (a stream source's backlog); 0 for schedules.
   */
  'backlog'?: (number | string | Long);
  'lastError'?: (string);
  'lastErrorMs'?: (number | string | Long);
}

export interface Trigger__Output {
  /**
   * What sort of event source: "schedule", and the kinds other sources register.
   */
  'kind': (string);
  /**
   * The trigger's name, unique within its kind.
   */
  'name': (string);
  'functionName': (string);
  /**
   * The version or alias invoked; empty: $LATEST.
   */
  'qualifier': (string);
  /**
   * "ENABLED" or "DISABLED", or a source's own word for why it does not fire ("FAILING", "COMPLETED").
   */
  'state': (string);
  /**
   * Where events come from, in the source's own terms: a schedule expression, a subject, a bucket.
   */
  'source': (string);
  /**
   * When it last invoked (ms since the epoch); 0: not yet, as far as this frontend knows.
   */
  'lastFireMs': (number);
  /**
   * When it next will; 0: not known or never (a stream source, a finished schedule).
   */
  'nextFireMs': (number);
  /**
   * How late the last firing was, or how old the oldest waiting event is, in ms.
   */
  'lagMs': (number);
  /**
   * Events waiting to be handed to the function (a stream source's backlog); 0 for schedules.
   */
  'backlog': (number);
  'lastError': (string);
  'lastErrorMs': (number);
}
