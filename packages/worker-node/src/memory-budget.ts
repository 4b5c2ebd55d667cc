import { totalmem } from 'node:os';
import { LIMITS } from '@stratus/contracts';

const MiB = 1024 * 1024;

/**
 * Memory the node keeps for itself, outside its budget for execution
 * environments: its own heap, the code cache, spare isolates, NATS and etcd
 * buffers.
 */
export const NODE_PROCESS_RESERVE_MB = 256;

/** What the machine reports; injectable so the rule can be tested on any machine. */
export interface MachineMemory {
  /** Physical memory (`os.totalmem()`). */
  readonly totalBytes: number;
  /** The cgroup (v2 or v1) memory limit, as libuv reads it (`process.constrainedMemory()`); 0 or huge when there is none. */
  readonly constrainedBytes: number;
}

function thisMachine(): MachineMemory {
  return { totalBytes: totalmem(), constrainedBytes: process.constrainedMemory() };
}

/** The memory this process can really have: the machine's, or its container's limit when that is lower. */
export function machineMemoryMb(machine: MachineMemory = thisMachine()): number {
  const limited = machine.constrainedBytes > 0 && machine.constrainedBytes < machine.totalBytes;
  return Math.floor((limited ? machine.constrainedBytes : machine.totalBytes) / MiB);
}

/**
 * The node's default memory budget: what the machine really has, less
 * {@link NODE_PROCESS_RESERVE_MB} for the node itself, and never under the
 * smallest function's memory size. The budget caps the sum of environments'
 * configured memory sizes, so by default the node never promises more than
 * the machine holds, however many of its functions use their whole size.
 */
export function defaultMemoryBudgetMb(machine: MachineMemory = thisMachine()): number {
  return Math.max(LIMITS.memoryMinMb, machineMemoryMb(machine) - NODE_PROCESS_RESERVE_MB);
}
