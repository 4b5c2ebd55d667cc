import { decodeJson, encodeJson } from '@stratus/contracts';
import type { Namespace, UsageQuery, UsageQueryReply, UsageReport } from '@stratus/contracts';
import { StratusError, toStratusError } from '@stratus/errors';
import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { parseUsageQuery } from './usage-query.js';

/** Every aggregator joins this group, so each query is answered once, by any of them. */
const QUERY_QUEUE = 'billing';

/** Answers usage queries (JSON {@link UsageQuery} in, {@link UsageQueryReply} out) on the namespace's billing subject. */
export function serveUsageQueries(
  nc: NatsConnection,
  ns: Namespace,
  log: Logger,
  answer: (query: UsageQuery) => UsageReport,
): Subscription {
  return nc.subscribe(ns.subjects.billingQuery(), {
    queue: QUERY_QUEUE,
    callback: (err, msg) => {
      if (err !== null) {
        log.error({ err }, 'usage query subscription failed');
        return;
      }
      msg.respond(encodeJson(reply(msg.data, answer, log)));
    },
  });
}

function reply(data: Uint8Array, answer: (query: UsageQuery) => UsageReport, log: Logger): UsageQueryReply {
  try {
    return { ok: true, report: answer(parseUsageQuery(parseBody(data))) };
  } catch (err) {
    const error = toStratusError(err);
    if (error.code === 'INTERNAL') log.error({ err }, 'usage query failed');
    return { ok: false, error: error.toWire() };
  }
}

/** An empty body is the query with every field left out. */
function parseBody(data: Uint8Array): unknown {
  if (data.length === 0) return {};
  try {
    return decodeJson(data);
  } catch (err) {
    throw new StratusError('INVALID_ARGUMENT', 'usage query is not JSON', { cause: err });
  }
}
