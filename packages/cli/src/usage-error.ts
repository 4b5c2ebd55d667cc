import { StratusError } from '@stratus/errors';

/**
 * A problem with what the user typed, found before anything was sent.
 * INVALID_ARGUMENT is what the platform says for the same kind of problem,
 * and the CLI exits with 2 for it either way.
 */
export function usageError(message: string, cause?: unknown): StratusError {
  return new StratusError('INVALID_ARGUMENT', message, cause === undefined ? {} : { cause });
}
