import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderCharts } from './charts.js';
import { renderMarkdown } from './markdown.js';
import type { BenchReport } from './report.js';

/** Writes report.json, report.md and the SVG charts into `dir` (created if missing); returns the files written. */
export async function writeReport(dir: string, report: BenchReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const charts = await renderCharts(report);
  const files: Array<[string, string]> = [
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ['report.md', renderMarkdown(report)],
    ...charts.map((c) => [c.file, c.svg] as [string, string]),
  ];
  await Promise.all(files.map(([name, text]) => writeFile(join(dir, name), text)));
  return files.map(([name]) => join(dir, name));
}

/** A folder name for a run that sorts by time and is valid on every file system. */
export function timestampDirName(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
}
