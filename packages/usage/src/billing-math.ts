/**
 * Lambda's rule: duration is billed in whole milliseconds, rounded up, with a
 * minimum of 1 ms. `ceil` on the measured float means 12.000000001 ms bills
 * 13 ms, which is also what Lambda does.
 */
export function billedMsFor(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** Compute charged for one invocation: billed seconds × configured memory in GB. */
export function gbSecondsFor(billedMs: number, memoryMb: number): number {
  return (billedMs / 1000) * (memoryMb / 1024);
}
