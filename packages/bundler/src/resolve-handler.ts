import { StratusError } from '@stratus/errors';
import { parseHandler } from '@stratus/contracts';

/** The order Lambda's Node.js runtime tries, plus TypeScript, which Stratus compiles. */
export const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts'] as const;

const ROOT_LISTING_MAX = 20;

/** The handler's file, or why there is none (listing what the zip root holds, so the user can see a wrongly nested upload). */
export type HandlerFile = { readonly found: string } | { readonly missing: string; readonly modulePath: string };

/**
 * Finds the file a handler string names among the uploaded files, e.g.
 * "src/app.handler" → "src/app.js". Throws INVALID_ARGUMENT (errorType
 * Runtime.MalformedHandlerName) for a handler string Lambda's runtime cannot
 * split, or whose module is outside the code root.
 */
export function resolveHandlerFile(handler: string, filePaths: readonly string[]): HandlerFile {
  const { modulePath } = parseHandler(handler);
  const segments = modulePath.split('/');
  if (modulePath.startsWith('/') || segments.includes('..')) {
    throw new StratusError('INVALID_ARGUMENT', `Bad handler ${handler}: the module must be inside the code root`, {
      details: { errorType: 'Runtime.MalformedHandlerName' },
    });
  }
  const normalised = segments.filter((s) => s !== '.' && s !== '').join('/');
  const present = new Set(filePaths);
  for (const ext of HANDLER_EXTENSIONS) {
    const candidate = normalised + ext;
    if (present.has(candidate)) return { found: candidate };
  }
  const tried = HANDLER_EXTENSIONS.map((ext) => normalised + ext).join(', ');
  return { missing: `no file for module '${modulePath}' (tried ${tried}); ${describeRoot(filePaths)}`, modulePath };
}

function describeRoot(filePaths: readonly string[]): string {
  const root = new Set<string>();
  for (const path of filePaths) {
    const slash = path.indexOf('/');
    root.add(slash === -1 ? path : path.slice(0, slash + 1));
  }
  if (root.size === 0) return 'the zip is empty';
  const names = [...root].sort();
  const shown = names.slice(0, ROOT_LISTING_MAX).join(', ');
  const more = names.length > ROOT_LISTING_MAX ? `, and ${names.length - ROOT_LISTING_MAX} more` : '';
  return `the zip root holds ${shown}${more}`;
}
