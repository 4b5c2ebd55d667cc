import { StratusError } from '@stratus/errors';

export interface ParsedHandler {
  /** The module path without extension, relative to the code root: "src/app" for "src/app.handler". */
  readonly modulePath: string;
  /** Property path to the handler on the module's exports: ["handler"], or ["a", "b"] for "index.a.b". */
  readonly exportPath: readonly string[];
}

/**
 * Splits a Lambda handler string the way the Node.js runtime does: the part
 * after the last "/" is split at its first ".", the left side names the
 * module, the right side is a property path on its exports.
 * Throws INVALID_ARGUMENT (Lambda: Runtime.MalformedHandlerName) otherwise.
 */
export function parseHandler(handler: string): ParsedHandler {
  const slash = handler.lastIndexOf('/');
  const dir = handler.slice(0, slash + 1);
  const moduleAndPath = handler.slice(slash + 1);
  const dot = moduleAndPath.indexOf('.');
  if (dot <= 0 || dot === moduleAndPath.length - 1) {
    throw new StratusError('INVALID_ARGUMENT', `Bad handler ${handler}: expected "file.export"`, {
      details: { errorType: 'Runtime.MalformedHandlerName' },
    });
  }
  const exportPath = moduleAndPath.slice(dot + 1).split('.');
  if (exportPath.some((part) => part.length === 0)) {
    throw new StratusError('INVALID_ARGUMENT', `Bad handler ${handler}: empty property name`, {
      details: { errorType: 'Runtime.MalformedHandlerName' },
    });
  }
  return { modulePath: dir + moduleAndPath.slice(0, dot), exportPath };
}
