/** Lambda's limits, which Stratus keeps so functions move between the two unchanged. */
export const LIMITS = {
  functionNameMaxLength: 64,
  memoryMinMb: 128,
  memoryMaxMb: 10_240,
  memoryDefaultMb: 128,
  timeoutMinSec: 1,
  timeoutMaxSec: 900,
  timeoutDefaultSec: 3,
  /** Total size of environment variable names and values. */
  environmentMaxBytes: 4 * 1024,
  syncPayloadMaxBytes: 6 * 1024 * 1024,
  asyncPayloadMaxBytes: 1024 * 1024,
  /** Zipped code as uploaded directly (Lambda: 50 MB). */
  zipMaxBytes: 50 * 1024 * 1024,
  /** Code unzipped (Lambda: 250 MB), counted as it inflates. */
  unzippedCodeMaxBytes: 250 * 1024 * 1024,
  /**
   * Entries (files and folders) in a code zip. Lambda has no such limit; a
   * deploy unzips every entry, so Stratus bounds the work one upload can ask.
   */
  zipMaxEntries: 10_000,
  /** A function's /tmp (Lambda's EphemeralStorage.Size): 512 MB by default, up to 10,240 MB. */
  ephemeralStorageMinMb: 512,
  ephemeralStorageMaxMb: 10_240,
  ephemeralStorageDefaultMb: 512,
  /**
   * The package's non-code files carried to run time (readable under
   * /var/task): every node holds them in memory for each function it runs,
   * so they are bounded well below the 250 MB unzipped.
   */
  packageFilesMaxBytes: 50 * 1024 * 1024,
  logTailBytes: 4 * 1024,
  /** Account-wide concurrent executions, as Lambda's default quota. */
  accountConcurrencyDefault: 1000,
  /** Reservations may never leave less than this unreserved, as in Lambda. */
  unreservedConcurrencyMin: 100,
} as const;

export const DEFAULT_HANDLER = 'index.handler';
export const RUNTIME_NODEJS20 = 'nodejs20.x';
export const LATEST_VERSION = '$LATEST';
