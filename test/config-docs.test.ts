import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SHARED_SETTINGS, settingsTable, type SettingsMap } from '@stratus/contracts';
import { billingConfig } from '@stratus/billing/config';
import { frontendConfig } from '@stratus/frontend/config';
import { nodeConfig } from '@stratus/worker-node/config';
import { combinedConfig } from '@stratus/combined/config';

/** Each README table, by the name in its markers, and the settings it shows. */
const TABLES: ReadonlyArray<readonly [name: string, settings: SettingsMap, except: SettingsMap]> = [
  ['shared', SHARED_SETTINGS, {}],
  ['frontend', frontendConfig.settings, SHARED_SETTINGS],
  ['node', nodeConfig.settings, SHARED_SETTINGS],
  ['combined', combinedConfig.settings, { ...frontendConfig.settings, ...nodeConfig.settings }],
  ['billing', billingConfig.settings, SHARED_SETTINGS],
];

/** The README with every table between `<!-- config:NAME -->` and `<!-- /config:NAME -->` rendered from the schemas. */
function withConfigTables(readme: string): string {
  let out = readme;
  for (const [name, settings, except] of TABLES) {
    const start = `<!-- config:${name} -->\n`;
    const end = `<!-- /config:${name} -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start.trim()} … ${end} markers`);
    out = `${out.slice(0, from + start.length)}${settingsTable(settings, except)}\n${out.slice(to)}`;
  }
  return out;
}

describe('the README', () => {
  // `npm run gen:config-docs` rewrites the tables (vitest --update writes the file).
  it("shows every service's settings as their schemas define them", async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    await expect(withConfigTables(readme), 'README.md tables are stale: run npm run gen:config-docs').toMatchFileSnapshot('../README.md');
  });
});
