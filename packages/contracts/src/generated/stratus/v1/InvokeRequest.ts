// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/invoke.proto

import type { InvocationType as _stratus_v1_InvocationType, InvocationType__Output as _stratus_v1_InvocationType__Output } from '../../stratus/v1/InvocationType.js';
import type { LogType as _stratus_v1_LogType, LogType__Output as _stratus_v1_LogType__Output } from '../../stratus/v1/LogType.js';

export interface InvokeRequest {
  /**
   * A function name, optionally with a qualifier after a colon.
   */
  'functionName'?: (string);
  'qualifier'?: (string);
  /**
   * The event, as JSON text. Empty means "{}" as with Lambda.
   */
  'payload'?: (Buffer | Uint8Array | string);
  'invocationType'?: (_stratus_v1_InvocationType);
  'logType'?: (_stratus_v1_LogType);
  /**
   * Makes a RequestResponse call idempotent: a call with the same token, for
   * the same function, within 10 minutes of the first, gets the first call's
   * result (or waits for it while it runs) instead of running the function
   * again, on whichever frontend it reaches. A token reused with a different
   * payload or qualifier is INVALID_ARGUMENT. Up to 128 printable ASCII
   * characters; empty means none.
   */
  'clientToken'?: (string);
  /**
   * Lambda's ClientContext: base64 of a JSON object (at most 3,583 characters),
   * given to a RequestResponse call's handler parsed, as context.clientContext
   * (Lambda's client, custom and env). Empty means none; an Event or DryRun
   * call ignores it, as Lambda does.
   */
  'clientContext'?: (string);
}

export interface InvokeRequest__Output {
  /**
   * A function name, optionally with a qualifier after a colon.
   */
  'functionName': (string);
  'qualifier': (string);
  /**
   * The event, as JSON text. Empty means "{}" as with Lambda.
   */
  'payload': (Buffer);
  'invocationType': (_stratus_v1_InvocationType__Output);
  'logType': (_stratus_v1_LogType__Output);
  /**
   * Makes a RequestResponse call idempotent: a call with the same token, for
   * the same function, within 10 minutes of the first, gets the first call's
   * result (or waits for it while it runs) instead of running the function
   * again, on whichever frontend it reaches. A token reused with a different
   * payload or qualifier is INVALID_ARGUMENT. Up to 128 printable ASCII
   * characters; empty means none.
   */
  'clientToken': (string);
  /**
   * Lambda's ClientContext: base64 of a JSON object (at most 3,583 characters),
   * given to a RequestResponse call's handler parsed, as context.clientContext
   * (Lambda's client, custom and env). Empty means none; an Event or DryRun
   * call ignores it, as Lambda does.
   */
  'clientContext': (string);
}
