import { toStratusError, type WireError } from '@stratus/errors';
import { bundleFunction, type BundleResult } from './bundle-function.js';

/**
 * The process one deploy bundles in (started by DeployBundler): takes one
 * request over IPC, answers it, and exits, so nothing one upload did is left
 * for the next and killing it stops esbuild's service with it.
 */
export interface DeployRequest {
  readonly zip: Uint8Array;
  readonly handler: string;
}

export type DeployReply = { readonly ok: true; readonly result: BundleResult } | { readonly ok: false; readonly error: WireError };

// The frontend went away (or killed the channel): nothing to answer to.
process.on('disconnect', () => process.exit(1));

process.once('message', (request: DeployRequest) => {
  void bundleFunction({ zip: request.zip, handler: request.handler }).then(
    (result): DeployReply => ({ ok: true, result }),
    (err: unknown): DeployReply => ({ ok: false, error: toStratusError(err).toWire() }),
  ).then((reply) => {
    process.send?.(reply, () => process.exit(0));
  });
});
