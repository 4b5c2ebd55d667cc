import type { Namespace } from './namespace.js';

/**
 * Who connects to NATS. Each role gets a user of its own with only the
 * subjects it needs (`natsPermissions`): a stolen node credential cannot send
 * invocations or bill for another node, and a frontend's cannot bill at all.
 */
export type NatsRole = 'frontend' | 'node' | 'billing' | 'autoscaler' | 'events';

export interface NatsPermissions {
  readonly publish: readonly string[];
  /** Subjects refused even where `publish` allows them by a wildcard (nats-server's deny wins over allow). */
  readonly publishDeny: readonly string[];
  readonly subscribe: readonly string[];
  /** The user may answer requests it received (and only those): nodes answer invocations, billing answers usage queries. */
  readonly allowResponses: boolean;
}

/**
 * The inbox prefix a role's connection must use (nats.js `inboxPrefix`):
 * replies come back on it, and each role may subscribe only to its own, so a
 * node cannot read the results other nodes send to frontends.
 */
export function natsInboxPrefix(ns: Namespace, role: NatsRole, nodeId?: string): string {
  return role === 'node' ? `_INBOX.${ns.prefix}.node.${requireNodeId(nodeId)}` : `_INBOX.${ns.prefix}.${role}`;
}

/**
 * The subjects one role may publish and subscribe to, for nats-server's
 * `authorization { users = [...] }`. A node's permissions name its own id, so
 * each node needs a user of its own. Everything not listed is denied.
 */
export function natsPermissions(ns: Namespace, role: NatsRole, nodeId?: string): NatsPermissions {
  const inbox = `${natsInboxPrefix(ns, role, nodeId)}.>`;
  const codeStream = `OBJ_${ns.buckets.code}`;
  const clientTokensStream = `KV_${ns.buckets.clientTokens}`;
  const asyncStatusStream = `KV_${ns.buckets.asyncStatus}`;
  switch (role) {
    case 'frontend':
      return {
        publish: [
          ns.subjects.allNodeInvokes(),
          // Only frontends ask nodes about their calls: the answers carry results.
          ns.subjects.allNodeCallStatuses(),
          ns.subjects.billingQuery(),
          ...JS_LOOKUPS,
          // Deploys store code bundles in the object store.
          `$O.${ns.buckets.code}.>`,
          ...manageStream(codeStream),
          `$JS.API.STREAM.PURGE.${codeStream}`,
          ...readStream(codeStream),
          // `stratus logs` reads the logs stream.
          ...readStream(ns.streams.logs),
          // Invoke's client tokens live in a key-value bucket: its keys, and the stream under it (opened, and set to discard the oldest).
          `$KV.${ns.buckets.clientTokens}.>`,
          ...manageStream(clientTokensStream),
          ...directGet(clientTokensStream),
          // Asynchronous invocations: frontends accept them into their stream and dispatch them (consumers per function),
          // keep their state in a bucket, move failed ones to the dead-letter stream (and back on redrive), and send
          // outcomes to users' destinations, which live under a prefix of their own.
          ns.subjects.allAsyncEvents(),
          ...manageStream(ns.streams.async),
          ...readStream(ns.streams.async),
          ns.subjects.allDeadLetters(),
          ...manageStream(ns.streams.deadLetters),
          ...readStream(ns.streams.deadLetters),
          ...directGet(ns.streams.deadLetters),
          `$JS.API.STREAM.MSG.DELETE.${ns.streams.deadLetters}`,
          `$KV.${ns.buckets.asyncStatus}.>`,
          ...manageStream(asyncStatusStream),
          ...directGet(asyncStatusStream),
          ns.subjects.allDestinations(),
          // The object store: one JetStream object store bucket (a stream named OBJ_<bucket>) per Stratus bucket, made and
          // deleted through the API. A stream name is one subject token, which no permission can match by prefix, so
          // frontends may manage every stream; nodes and billing stay confined to theirs.
          '$O.*.>',
          ...manageStream('*'),
          '$JS.API.STREAM.DELETE.*',
          '$JS.API.STREAM.PURGE.*',
          '$JS.API.STREAM.MSG.DELETE.*',
          '$JS.API.STREAM.LIST',
          ...readStream('*'),
          ...directGet('*'),
          `$KV.${ns.buckets.objectNotifications}.>`,
          ...manageStream(`KV_${ns.buckets.objectNotifications}`),
          ...directGet(`KV_${ns.buckets.objectNotifications}`),
          // Event source mappings: jetstream: sources read the user-events stream (a durable consumer per mapping).
          ...manageStream(ns.streams.userEvents),
          ...readStream(ns.streams.userEvents),
        ],
        // Managing users' buckets needs stream wildcards (above); the cluster's own streams are carved out again: a
        // frontend never deletes one, never purges or edits messages beyond the two it must (the code store, dead
        // letters), and never touches billing's evidence, the usage stream, at all.
        publishDeny: clusterStreamsGuard(ns, [codeStream, clientTokensStream, asyncStatusStream, `KV_${ns.buckets.objectNotifications}`], { purge: codeStream, deleteMessages: ns.streams.deadLetters }),
        // nats: sources subscribe to users' events, and to nothing else of users'.
        // Response streams: the chunks nodes stream to the frontend that runs the call.
        subscribe: [ns.subjects.allHeartbeats(), inbox, ns.subjects.allUserEvents(), ns.subjects.allResponseStreams()],
        allowResponses: false,
      };
    case 'node': {
      const id = requireNodeId(nodeId);
      return {
        publish: [
          ns.subjects.nodeHeartbeat(id),
          ns.subjects.usageBatch(id),
          ns.subjects.nodeUsageRecords(id),
          ns.subjects.allFunctionLogs(),
          // The chunks of streamed responses, to the frontend that asked for them.
          ns.subjects.allResponseStreams(),
          ...JS_LOOKUPS,
          ...manageStream(ns.streams.usage),
          ...manageStream(ns.streams.logs),
          `$JS.API.STREAM.CREATE.${codeStream}`,
          ...readStream(codeStream),
        ],
        publishDeny: [],
        subscribe: [ns.subjects.nodeInvoke(id), ns.subjects.nodeCallStatus(id), inbox],
        allowResponses: true,
      };
    }
    case 'billing':
      return {
        publish: [...JS_LOOKUPS, ...manageStream(ns.streams.usage), ...readStream(ns.streams.usage)],
        publishDeny: [],
        subscribe: [ns.subjects.billingQuery(), inbox],
        allowResponses: true,
      };
    case 'autoscaler':
      return { publish: [], publishDeny: [], subscribe: [ns.subjects.allHeartbeats(), inbox], allowResponses: false };
    case 'events':
      // Users' programs that feed event source mappings: they publish users' events (a JetStream publish's
      // acknowledgement comes back on their inbox), listen to nats: destinations (the invocation records
      // published for users, under a prefix of their own), and reach nothing else of the cluster's.
      return { publish: [ns.subjects.allUserEvents()], publishDeny: [], subscribe: [inbox, ns.subjects.allDestinations()], allowResponses: false };
  }
}

/**
 * What a role allowed every stream must still not do to the cluster's own:
 * delete any of them, purge or delete messages of any but the one stream
 * named for each, and anything at all to the usage stream (its records are
 * what billing counts).
 */
function clusterStreamsGuard(ns: Namespace, buckets: readonly string[], allowed: { readonly purge: string; readonly deleteMessages: string }): string[] {
  const streams = [ns.streams.logs, ns.streams.async, ns.streams.deadLetters, ns.streams.userEvents, ...buckets];
  const usage = ns.streams.usage;
  return [
    ...[...streams, usage].map((stream) => `$JS.API.STREAM.DELETE.${stream}`),
    ...[...streams, usage].filter((stream) => stream !== allowed.purge).map((stream) => `$JS.API.STREAM.PURGE.${stream}`),
    ...[...streams, usage].filter((stream) => stream !== allowed.deleteMessages).map((stream) => `$JS.API.STREAM.MSG.DELETE.${stream}`),
    ...manageStream(usage),
    ...readStream(usage),
    ...directGet(usage),
  ];
}

/** Read-only lookups nats.js makes before using a stream or an object store. */
const JS_LOOKUPS = ['$JS.API.INFO', '$JS.API.STREAM.NAMES'];

function manageStream(stream: string): string[] {
  return [`$JS.API.STREAM.INFO.${stream}`, `$JS.API.STREAM.CREATE.${stream}`, `$JS.API.STREAM.UPDATE.${stream}`];
}

/** Reading single messages of a stream: key-value gets use direct gets when the stream allows them, else the stream API. */
function directGet(stream: string): string[] {
  return [`$JS.API.DIRECT.GET.${stream}`, `$JS.API.DIRECT.GET.${stream}.>`, `$JS.API.STREAM.MSG.GET.${stream}`];
}

/** Reading a stream: direct gets, and consumers on it (created, fetched from, acked, deleted). */
function readStream(stream: string): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.*`,
    `$JS.API.CONSUMER.INFO.${stream}.*`,
    `$JS.API.CONSUMER.DELETE.${stream}.*`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
    `$JS.ACK.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

function requireNodeId(nodeId: string | undefined): string {
  if (nodeId === undefined || nodeId.length === 0) throw new Error('a node’s NATS permissions need its node id');
  return nodeId;
}
