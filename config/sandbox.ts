// `npm run sandbox`'s settings: its own ports and data folder unless given, the demo district
// loaded, and never a database or Temporal cluster of its own choosing: a DATABASE_URL or
// TEMPORAL_ADDRESS that is not the sandbox's throwaway one stops it before it connects anywhere.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, projectRoot } from './config.ts';

export const SANDBOX_DATABASE = 'party_cycles_sandbox';
/** Written into the sandbox's data folder; only a folder holding it (or empty) is ever wiped. */
export const SANDBOX_MARKER = '.sandbox';

const DEFAULTS = {
  PORT: '3100',
  EMBEDDED_PG_PORT: '54339',
  DEVSERVER_PORT: '7243',
  DATA_DIR: path.join(projectRoot, 'data', 'sandbox'),
};

/** The sandbox's own database URL on the embedded PostgreSQL it starts. */
export const sandboxDatabaseUrl = (port: string | number) => `postgres://postgres:postgres@127.0.0.1:${port}/${SANDBOX_DATABASE}`;

/** The environment the sandbox runs with: defaults filled, SEED_DEMO on, refused targets named. */
export function sandboxEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const [key, value] of Object.entries(DEFAULTS)) if (!out[key]) out[key] = value;
  out.SEED_DEMO = 'true';
  const problems: string[] = [];
  if (out.DATABASE_URL && out.DATABASE_URL !== sandboxDatabaseUrl(out.EMBEDDED_PG_PORT!)) {
    problems.push('DATABASE_URL is set: the sandbox runs only on its own throwaway embedded database; unset DATABASE_URL (npm start uses it)');
  }
  if (out.TEMPORAL_ADDRESS) {
    problems.push('TEMPORAL_ADDRESS is set: the sandbox runs only on its own time-skipping Temporal-compatible server; unset TEMPORAL_ADDRESS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  // The sandbox's embedded database is the one it starts itself.
  delete out.DATABASE_URL;
  return out;
}

/** Throws unless the data folder is absent, empty, or a sandbox's own (holds SANDBOX_MARKER). */
export function checkThrowawayFolder(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  const entries = readdirSync(dataDir);
  if (entries.length === 0 || entries.includes(SANDBOX_MARKER)) return;
  throw new ConfigError([`DATA_DIR ${dataDir} holds data that is not a sandbox's: the sandbox wipes its folder at each start, so give it an empty or new folder`]);
}
