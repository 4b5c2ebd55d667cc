import { ErrorCode as NatsErrorCode, type NatsConnection } from 'nats';
import { StratusError, parseWireError } from '@stratus/errors';
import {
  decodeJson,
  encodeJson,
  type FunctionUsage,
  type Namespace,
  type UsageQuery,
  type UsageReport,
} from '@stratus/contracts';
import type {
  FunctionUsageMessage,
  GetUsageRequestMessage,
  GetUsageResponseMessage,
  ListNodesResponseMessage,
} from '@stratus/contracts/grpc';
import type { NodeView } from '@stratus/placement';

/** Forwards a usage query to the billing aggregator, which owns the totals. */
export async function queryUsage(
  nc: NatsConnection,
  ns: Namespace,
  request: GetUsageRequestMessage,
  timeoutMs: number,
): Promise<GetUsageResponseMessage> {
  const query: UsageQuery = {
    ...(request.functionName ? { functionName: request.functionName } : {}),
    ...(request.startTimeMs ? { startTimeMs: request.startTimeMs } : {}),
    ...(request.endTimeMs ? { endTimeMs: request.endTimeMs } : {}),
  };
  let reply: unknown;
  try {
    const msg = await nc.request(ns.subjects.billingQuery(), encodeJson(query), { timeout: timeoutMs });
    reply = decodeJson(msg.data);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === NatsErrorCode.NoResponders || code === NatsErrorCode.Timeout) {
      throw new StratusError('UNAVAILABLE', 'the billing aggregator is not answering; usage is safe in the usage stream and will be counted when it is back');
    }
    throw err;
  }
  const r = reply as { ok?: unknown; report?: UsageReport; error?: unknown };
  if (r.ok === true && r.report) {
    return {
      functions: r.report.functions.map(toUsageMessage),
      total: toUsageMessage(r.report.total),
      appliedThroughSequence: r.report.appliedThroughSequence,
    };
  }
  const wire = parseWireError(r.error);
  if (wire) throw StratusError.fromWire(wire);
  throw new StratusError('INTERNAL', 'the billing aggregator sent a malformed reply');
}

function toUsageMessage(usage: FunctionUsage): FunctionUsageMessage {
  return { ...usage };
}

export function listNodes(view: NodeView): ListNodesResponseMessage {
  return {
    nodes: view.nodes().map(({ record, registered }) => {
      const received = view.lastHeartbeat(record.nodeId);
      const heartbeat = received?.heartbeat;
      return {
        nodeId: record.nodeId,
        host: record.host,
        pid: record.pid,
        memoryBudgetMb: record.memoryBudgetMb,
        memoryUsedMb: Math.round(heartbeat?.memoryUsedMb ?? 0),
        maxInFlight: record.maxInFlight,
        inFlight: heartbeat?.inFlight ?? 0,
        warmIsolates: heartbeat?.warmIsolates ?? 0,
        functions: heartbeat?.functions.map((f) => ({ ...f })) ?? [],
        registeredAtMs: record.registeredAtMs,
        // When this frontend received it: the node's own clock may differ.
        lastHeartbeatMs: received?.receivedAtMs ?? 0,
        state: registered ? (heartbeat?.state ?? 'starting') : 'registering',
      };
    }),
  };
}
