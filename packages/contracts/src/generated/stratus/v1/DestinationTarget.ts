// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
// Original file: proto/stratus/v1/async.proto


/**
 * Where an outcome is sent: "function:NAME" (or a Lambda function ARN), which
 * invokes that function asynchronously with the invocation record;
 * "nats:SUBJECT", published on the cluster's subject "<namespace>.out.SUBJECT";
 * "jetstream:SUBJECT", the same subject, stored by whatever JetStream stream
 * captures it (the delivery fails, and is retried, when no stream does).
 */
export interface DestinationTarget {
  'destination'?: (string);
}

/**
 * Where an outcome is sent: "function:NAME" (or a Lambda function ARN), which
 * invokes that function asynchronously with the invocation record;
 * "nats:SUBJECT", published on the cluster's subject "<namespace>.out.SUBJECT";
 * "jetstream:SUBJECT", the same subject, stored by whatever JetStream stream
 * captures it (the delivery fails, and is retried, when no stream does).
 */
export interface DestinationTarget__Output {
  'destination': (string);
}
