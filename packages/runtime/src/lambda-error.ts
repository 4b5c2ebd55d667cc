/** The error object Lambda returns as the payload of a failed invocation. */
export interface LambdaErrorObject {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** A runtime-made error (Runtime.*), whose trace is only its own header, as Lambda's are. */
export function runtimeError(errorType: string, errorMessage: string): LambdaErrorObject {
  return { errorType, errorMessage, trace: [`${errorType}: ${errorMessage}`] };
}

/** "Task timed out after N.NN seconds", the words of Lambda's log line. */
export function timeoutText(timeoutMs: number): string {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}

/**
 * Lambda's payload for an invocation that ran out of time names its request, as its runtime API does:
 * "RequestId: <id> Error: Task timed out after N.NN seconds". An init that runs out of time has no request
 * of its own here, so its error is the bare text.
 */
export function timeoutError(timeoutMs: number, requestId?: string): LambdaErrorObject {
  const text = timeoutText(timeoutMs);
  return { errorType: 'Sandbox.Timedout', errorMessage: requestId === undefined ? text : `RequestId: ${requestId} Error: ${text}` };
}

/**
 * isolated-vm appends host frames below an "<isolated-vm boundary>" line when
 * it copies an error out; they name host files and must not reach users.
 */
function isolateStackLines(stack: string): string[] {
  const lines = stack.split('\n');
  const boundary = lines.findIndex((line) => line.includes('<isolated-vm boundary>'));
  return boundary === -1 ? lines : lines.slice(0, boundary);
}

/**
 * Formats a value thrown inside the isolate and copied out by isolated-vm
 * (errors keep name, message and stack; other objects arrive as a generic
 * Error), the way Lambda's runtime formats errors.
 */
export function fromCopiedError(value: unknown): LambdaErrorObject {
  if (value instanceof Error) {
    const name = value.name || 'Error';
    return {
      errorType: name,
      errorMessage: value.message,
      trace: typeof value.stack === 'string' ? isolateStackLines(value.stack) : [`${name}: ${value.message}`],
    };
  }
  return { errorType: typeof value, errorMessage: String(value), trace: [] };
}

/** Lambda reports a syntax error in user code as Runtime.UserCodeSyntaxError: "SyntaxError: <what>". */
export function syntaxError(value: unknown): LambdaErrorObject {
  const raw = value instanceof Error ? value.message : String(value);
  // isolated-vm appends the location as " [file:line:col]"; Lambda keeps it in the trace.
  const located = /^(.*) \[([^\]]*)\]$/s.exec(raw);
  const what = located?.[1] ?? raw;
  const message = `SyntaxError: ${what}`;
  const trace = [`Runtime.UserCodeSyntaxError: ${message}`];
  if (located?.[2] !== undefined) trace.push(`    at ${located[2]}`);
  return { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: message, trace };
}

/** V8's message when CommonJS code touches a CommonJS global in an ES module; Node adds to it when loading fails so. */
const COMMONJS_GLOBAL_NOT_DEFINED = /^(module|exports|require|__filename|__dirname|__stratus_require_is_not_defined_in_ES_module_scope) is not defined$/;
/** The name the bundler gives `require` in an ES module, unbound so that `typeof require` is 'undefined' as in Node. */
const ESM_REQUIRE = '__stratus_require_is_not_defined_in_ES_module_scope';

/** Node's messages for a module it cannot find: `require` (MODULE_NOT_FOUND) and `import` (ERR_MODULE_NOT_FOUND). */
const MODULE_NOT_FOUND = /^Cannot find (?:module|package) '/;

/**
 * What Lambda's runtime reports for an error thrown while the function's
 * module loads: a SyntaxError becomes Runtime.UserCodeSyntaxError and a
 * module Node cannot find Runtime.ImportModuleError, each with the error as
 * Node would print it ("SyntaxError: …", "Error: Cannot find module …") as
 * its message and its trace split into lines; a ReferenceError for a
 * CommonJS global gets Node's "in ES module scope"; anything else is
 * reported as thrown. isolated-vm copies only an error's name, message and stack, so a
 * missing module is known by Node's message rather than its `code`.
 */
export function loadError(thrown: LambdaErrorObject, typeModulePackageJson?: () => string | undefined): LambdaErrorObject {
  const commonJsGlobal = thrown.errorType === 'ReferenceError' ? COMMONJS_GLOBAL_NOT_DEFINED.exec(thrown.errorMessage) : null;
  if (commonJsGlobal !== null) {
    // Node's words for CommonJS code evaluated as an ES module (every bundle is one), with Node 20's second line
    // when the handler is a `.js` file that package.json "type" makes an ES module.
    const global = commonJsGlobal[1] === ESM_REQUIRE ? 'require' : commonJsGlobal[1];
    let errorMessage = `${global} is not defined in ES module scope${global === 'require' ? ', you can use import instead' : ''}`;
    const packageJson = typeModulePackageJson?.();
    if (packageJson !== undefined) {
      errorMessage +=
        "\nThis file is being treated as an ES module because it has a '.js' file extension and " +
        `'/var/task/${packageJson}' contains "type": "module". To treat it as a CommonJS script, rename it to use the '.cjs' file extension.`;
    }
    const [, ...frames] = thrown.trace ?? [];
    return { errorType: thrown.errorType, errorMessage, trace: [...`ReferenceError: ${errorMessage}`.split('\n'), ...frames] };
  }
  let errorType: string;
  if (thrown.errorType === 'SyntaxError') errorType = 'Runtime.UserCodeSyntaxError';
  else if (thrown.errorType === 'Error' && MODULE_NOT_FOUND.test(thrown.errorMessage)) errorType = 'Runtime.ImportModuleError';
  else return thrown;
  const errorMessage = `${thrown.errorType}: ${thrown.errorMessage}`;
  return { errorType, errorMessage, trace: `${errorType}: ${errorMessage}`.split('\n') };
}

/**
 * Lambda's Node.js runtime turns an unhandled rejection into this error and
 * then restarts the runtime.
 */
export function unhandledRejection(reason: LambdaErrorObject): LambdaErrorObject {
  // Lambda uses String(reason): "Error: boom" for errors, the value itself otherwise.
  const message = reason.trace !== undefined && reason.trace.length > 0 ? `${reason.errorType}: ${reason.errorMessage}` : reason.errorMessage;
  return {
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: message,
    trace: [`Runtime.UnhandledPromiseRejection: ${message}`, ...(reason.trace ?? []).slice(1)],
  };
}
