// Errors as Lambda's Node.js runtime reports them: { errorType, errorMessage, trace }.
import { ErrorCtor, JSONStringify, StringCtor } from './primordials.js';

export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

interface ErrorLike {
  readonly name: unknown;
  readonly message: unknown;
  readonly stack: unknown;
}

function isErrorLike(err: unknown): err is ErrorLike {
  if (err instanceof ErrorCtor) return true;
  if (err === null || typeof err !== 'object') return false;
  const e = err as Partial<ErrorLike>;
  return typeof e.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string';
}

export function toLambdaError(err: unknown): LambdaError {
  try {
    if (isErrorLike(err)) {
      const stack = typeof err.stack === 'string' ? err.stack : StringCtor(err);
      return { errorType: StringCtor(err.name || 'Error'), errorMessage: StringCtor(err.message), trace: stack.split('\n') };
    }
    // Lambda uses toString(): null and undefined fail it and become the 'handled' error below.
    return { errorType: typeof err, errorMessage: (err as { toString(): string }).toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

export function errorJson(err: unknown): string {
  return JSONStringify(toLambdaError(err));
}

export function runtimeErrorJson(errorType: string, message: string): string {
  return JSONStringify({ errorType: errorType, errorMessage: message, trace: [errorType + ': ' + message] });
}
