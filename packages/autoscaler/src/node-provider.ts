/**
 * What the autoscaler acts through: something that can start and stop
 * worker nodes (processes on this machine, VMs, pods).
 */
export interface NodeProvider {
  /** The ids of the worker nodes this provider runs now, starting ones included. */
  nodes(): Promise<readonly string[]>;
  /** Starts one worker node and resolves with its id once it has registered. */
  addNode(): Promise<string>;
  /**
   * Stops a worker node gracefully: it leaves the registry first (so no new
   * work reaches it), finishes its calls in flight, then goes away. Resolves
   * when it is gone.
   */
  removeNode(nodeId: string): Promise<void>;
}
