/**
 * Every NATS subject, JetStream stream, object-store bucket and etcd key that
 * Stratus uses is built here, from one prefix. Services meet only through
 * these names, and tests isolate themselves by choosing a random prefix.
 */
export interface Namespace {
  readonly prefix: string;
  readonly subjects: {
    /** Request-reply: synchronous invocations sent to one worker node. */
    nodeInvoke(nodeId: string): string;
    /** Wildcard matching every node's invocation subject (what frontends may send to). */
    allNodeInvokes(): string;
    /**
     * Request-reply: a frontend asks one node what became of calls it sent
     * there (running, done with the reply it sent, or never received), after
     * a NATS connection on the way dropped and may have lost a request or reply.
     */
    nodeCallStatus(nodeId: string): string;
    /** Wildcard matching every node's call-status subject (what frontends may ask on). */
    allNodeCallStatuses(): string;
    /**
     * Publish: the chunks of one call's streamed response, from the node running it to the frontend that asked for
     * them (`InvokeWithResponseStream`, RESPONSE_STREAM function URLs). `frontendId` is the frontend process's random
     * instance id, `callId` that frontend's name for the call: the subject falls under the one subscription the
     * frontend made when it started (`frontendResponseStreams`), whose interest every server in a NATS cluster has
     * long learnt by the time a node publishes.
     */
    responseStream(frontendId: string, callId: string): string;
    /** Wildcard matching every call's response stream to one frontend: what that frontend subscribes to, once. */
    frontendResponseStreams(frontendId: string): string;
    /** Wildcard matching every call's response stream (what nodes may publish and frontends listen to). */
    allResponseStreams(): string;
    /** Publish: a node's live load, several times a second. */
    nodeHeartbeat(nodeId: string): string;
    /** Wildcard matching every node's heartbeat. */
    allHeartbeats(): string;
    /**
     * JetStream: batches of usage records, one message per batch, published
     * by the node that ran the invocations. The node id in the subject is its
     * identity: NATS lets each node publish only under its own id, and
     * billing trusts only the subject.
     */
    usageBatch(nodeId: string): string;
    /** JetStream: one usage record per message, as nodes published them before batching (billing still reads them). */
    usageRecord(nodeId: string, functionName: string): string;
    /** Every single-record subject one node may publish (its batch subject is `usageBatch`). */
    nodeUsageRecords(nodeId: string): string;
    allUsageRecords(): string;
    /** The node id a usage subject (batch or single record) names; undefined for a subject of another shape. */
    usageRecordNodeId(subject: string): string | undefined;
    /** Request-reply: usage queries answered by the billing aggregator. */
    billingQuery(): string;
    /** JetStream: one function's logs, a batch of invocations' logs per message (one per message before batching). */
    functionLogs(functionName: string): string;
    allFunctionLogs(): string;
    /** JetStream: accepted asynchronous events of one function (stream `streams.async`), one message per event. */
    asyncEvent(functionName: string): string;
    allAsyncEvents(): string;
    /** The function an async event subject names; undefined for a subject of another shape. */
    asyncEventFunction(subject: string): string | undefined;
    /** JetStream: events of one function that exhausted their retries or their age (stream `streams.deadLetters`). */
    deadLetter(functionName: string): string;
    /**
     * JetStream (stream `streams.deadLetters`): invocation records of one function's events that their
     * destination did not take. `~` keeps the token apart from every function's `deadLetter` subject.
     */
    undeliveredRecord(functionName: string): string;
    allDeadLetters(): string;
    /** Where a user's `nats:`/`jetstream:` destination subject is published: under a prefix of its own, apart from every subject the cluster uses. */
    destination(userSubject: string): string;
    allDestinations(): string;
    /**
     * Where users publish the events their event source mappings read: a user
     * subject (`orders.created`, wildcards allowed in a mapping's source) under a
     * prefix of its own, apart from every subject the cluster uses, so a mapping
     * can never read the cluster's own traffic.
     */
    userEvent(userSubject: string): string;
    allUserEvents(): string;
    /** Queue group of one mapping's subscription on a plain NATS subject: each message goes to one frontend. */
    eventSourceMappingQueue(uuid: string): string;
  };
  readonly streams: {
    readonly usage: string;
    readonly logs: string;
    /** Accepted asynchronous invocations, waiting to run (work-queue retention: an event leaves when it is done). */
    readonly async: string;
    /** Asynchronous invocations that failed or expired, kept for redrive. */
    readonly deadLetters: string;
    /** Users' events (`subjects.allUserEvents`), stored for event source mappings on `jetstream:` sources. */
    readonly userEvents: string;
  };
  readonly consumers: {
    readonly billing: string;
    /** The durable consumer every dispatcher shares for one function's async events. */
    asyncDispatch(functionName: string): string;
    /** The durable consumer every frontend shares on one object store bucket's stream, for its notifications. */
    readonly objectNotifier: string;
    /** The durable consumer on `streams.userEvents` every frontend shares for one event source mapping. */
    eventSourceMapping(uuid: string): string;
  };
  readonly buckets: {
    /** JetStream object store holding code bundles by content hash. */
    readonly code: string;
    /** JetStream key-value bucket: one record per (function, client token) of Invoke, for idempotent retries. */
    readonly clientTokens: string;
    /** JetStream key-value bucket: the state of each asynchronous invocation, by request id. */
    readonly asyncStatus: string;
    /** JetStream key-value bucket: each object store bucket's notification configuration, by bucket name. */
    readonly objectNotifications: string;
  };
  readonly keys: {
    functionsPrefix(): string;
    function(name: string): string;
    /** Published versions (immutable snapshots of a function), one key per version: `<prefix>/<name>/<number>`. */
    versionsPrefix(): string;
    functionVersionsPrefix(name: string): string;
    version(name: string, version: string): string;
    /** Aliases, one key per alias: `<prefix>/<name>/<alias>`. */
    aliasesPrefix(): string;
    functionAliasesPrefix(name: string): string;
    alias(name: string, alias: string): string;
    /**
     * Per function, the last version number published. Every write to a
     * function's versions or aliases rewrites it in the same transaction, so
     * two such writes never interleave (two publishes never take one number,
     * an alias never comes to point at a version deleted meanwhile).
     */
    versionCountersPrefix(): string;
    versionCounter(name: string): string;
    nodesPrefix(): string;
    node(nodeId: string): string;
    /** Live frontends, under leases: each takes an equal share of the concurrency limits. */
    frontendsPrefix(): string;
    frontend(frontendId: string): string;
    /** API keys, one per key id, holding a salted hash of the secret (see api-key.ts). */
    apiKeysPrefix(): string;
    apiKey(keyId: string): string;
    /** EventBridge-style schedules, one key per schedule name (see schedules in @stratus/frontend). */
    schedulesPrefix(): string;
    schedule(name: string): string;
    /** Event source mappings, one key per mapping by its UUID. */
    eventSourceMappingsPrefix(): string;
    eventSourceMapping(uuid: string): string;
  };
}

/** What a namespace prefix may be: it is part of subjects, stream names and keys. */
export const NAMESPACE_PREFIX_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const DEFAULT_NAMESPACE = 'stratus';

/** Default prefix: "stratus". */
export function createNamespace(prefix = DEFAULT_NAMESPACE): Namespace {
  if (!NAMESPACE_PREFIX_PATTERN.test(prefix)) {
    throw new Error(`namespace prefix ${JSON.stringify(prefix)} must match ${NAMESPACE_PREFIX_PATTERN}`);
  }
  const upper = prefix.toUpperCase();
  return {
    prefix,
    subjects: {
      nodeInvoke: (nodeId) => `${prefix}.node.${token(nodeId)}.invoke`,
      allNodeInvokes: () => `${prefix}.node.*.invoke`,
      nodeCallStatus: (nodeId) => `${prefix}.node.${token(nodeId)}.calls`,
      allNodeCallStatuses: () => `${prefix}.node.*.calls`,
      responseStream: (frontendId, callId) => `${prefix}.stream.${token(frontendId)}.${token(callId)}`,
      frontendResponseStreams: (frontendId) => `${prefix}.stream.${token(frontendId)}.*`,
      allResponseStreams: () => `${prefix}.stream.*.*`,
      nodeHeartbeat: (nodeId) => `${prefix}.heartbeat.${token(nodeId)}`,
      allHeartbeats: () => `${prefix}.heartbeat.*`,
      usageBatch: (nodeId) => `${prefix}.usage.${token(nodeId)}`,
      usageRecord: (nodeId, functionName) => `${prefix}.usage.${token(nodeId)}.${token(functionName)}`,
      nodeUsageRecords: (nodeId) => `${prefix}.usage.${token(nodeId)}.>`,
      allUsageRecords: () => `${prefix}.usage.>`,
      usageRecordNodeId: (subject) => {
        const tokens = subject.split('.');
        return (tokens.length === 3 || tokens.length === 4) && tokens[0] === prefix && tokens[1] === 'usage' ? tokens[2] : undefined;
      },
      billingQuery: () => `${prefix}.billing.query`,
      functionLogs: (functionName) => `${prefix}.logs.${token(functionName)}`,
      allFunctionLogs: () => `${prefix}.logs.>`,
      asyncEvent: (functionName) => `${prefix}.async.${token(functionName)}`,
      allAsyncEvents: () => `${prefix}.async.*`,
      asyncEventFunction: (subject) => {
        const tokens = subject.split('.');
        return tokens.length === 3 && tokens[0] === prefix && tokens[1] === 'async' ? tokens[2] : undefined;
      },
      deadLetter: (functionName) => `${prefix}.dead.${token(functionName)}`,
      undeliveredRecord: (functionName) => `${prefix}.dead.~${token(functionName)}`,
      allDeadLetters: () => `${prefix}.dead.*`,
      destination: (userSubject) => `${prefix}.out.${userSubject.split('.').map(token).join('.')}`,
      allDestinations: () => `${prefix}.out.>`,
      userEvent: (userSubject) => `${prefix}.events.${userSubject.split('.').map(wildcardToken).join('.')}`,
      allUserEvents: () => `${prefix}.events.>`,
      eventSourceMappingQueue: (uuid) => `${prefix}_esm_${token(uuid)}`,
    },
    streams: { usage: `${upper}_USAGE`, logs: `${upper}_LOGS`, async: `${upper}_ASYNC`, deadLetters: `${upper}_ASYNC_DLQ`, userEvents: `${upper}_EVENTS` },
    consumers: { billing: `${prefix}_billing`, asyncDispatch: (functionName) => `${prefix}_async_${token(functionName)}`, objectNotifier: `${prefix}_object_notifier`,
      eventSourceMapping: (uuid) => `${prefix}_esm_${token(uuid)}`,
    },
    buckets: { code: `${prefix}_code`, clientTokens: `${prefix}_client_tokens`, asyncStatus: `${prefix}_async_status`, objectNotifications: `${prefix}_object_notifications` },
    keys: {
      functionsPrefix: () => `/${prefix}/functions/`,
      function: (name) => `/${prefix}/functions/${name}`,
      versionsPrefix: () => `/${prefix}/versions/`,
      functionVersionsPrefix: (name) => `/${prefix}/versions/${name}/`,
      version: (name, version) => `/${prefix}/versions/${name}/${version}`,
      aliasesPrefix: () => `/${prefix}/aliases/`,
      functionAliasesPrefix: (name) => `/${prefix}/aliases/${name}/`,
      alias: (name, alias) => `/${prefix}/aliases/${name}/${alias}`,
      versionCountersPrefix: () => `/${prefix}/version-counters/`,
      versionCounter: (name) => `/${prefix}/version-counters/${name}`,
      nodesPrefix: () => `/${prefix}/nodes/`,
      node: (nodeId) => `/${prefix}/nodes/${nodeId}`,
      frontendsPrefix: () => `/${prefix}/frontends/`,
      frontend: (frontendId) => `/${prefix}/frontends/${frontendId}`,
      apiKeysPrefix: () => `/${prefix}/api-keys/`,
      apiKey: (keyId) => `/${prefix}/api-keys/${keyId}`,
      schedulesPrefix: () => `/${prefix}/schedules/`,
      schedule: (name) => `/${prefix}/schedules/${name}`,
      eventSourceMappingsPrefix: () => `/${prefix}/event-source-mappings/`,
      eventSourceMapping: (uuid) => `/${prefix}/event-source-mappings/${uuid}`,
    },
  };
}

/** Names used in subjects are validated where they enter; this guards against a wildcard slipping in. */
function token(value: string): string {
  if (value.length === 0 || /[\s.*>]/.test(value)) {
    throw new Error(`${JSON.stringify(value)} cannot be used in a NATS subject`);
  }
  return value;
}

/** A subject token of a user's subject that may be a wildcard (`*`, or `>` as the last token). */
function wildcardToken(value: string, index: number, all: readonly string[]): string {
  if (value === '*' || (value === '>' && index === all.length - 1)) return value;
  return token(value);
}
