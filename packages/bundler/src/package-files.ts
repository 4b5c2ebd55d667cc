/**
 * Which files of a deployment package are carried to run time, where the
 * function can read them under /var/task: every file but code (bundled
 * already) and, inside node_modules, what packages ship only for people and
 * tools (docs, licences, source maps, type declarations). Carried files live
 * in every node's memory for each function it runs, so they are bounded
 * (LIMITS.packageFilesMaxBytes) while the package may unzip to 250 MB.
 */
const CODE = /\.(?:[cm]?[jt]sx?)$/i;
const NODE_MODULES_PEOPLE_FILES = /\.(?:map|md|markdown)$/i;
const NODE_MODULES_PEOPLE_NAMES = /^(?:licen[cs]e|readme|changelog|history|authors|contributing)(?:[.-].*)?$/i;

export function carriedAtRunTime(path: string): boolean {
  if (CODE.test(path)) return false;
  const parts = path.split('/');
  if (!parts.includes('node_modules')) return true;
  const name = parts[parts.length - 1] ?? '';
  return !NODE_MODULES_PEOPLE_FILES.test(name) && !NODE_MODULES_PEOPLE_NAMES.test(name);
}
