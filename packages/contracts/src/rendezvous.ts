import { createHash } from 'node:crypto';

/**
 * A function's rendezvous-hash score on a node: ordering nodes by it gives
 * the function's home nodes. Placement (where calls go) and provisioned
 * concurrency (where environments are kept ready) must use the same order,
 * so both take it from here. Lower sorts first.
 */
export function rendezvousScore(functionName: string, version: string, nodeId: string): string {
  return createHash('sha1').update(`${functionName}:${version}`).update('\0').update(nodeId).digest('hex');
}
