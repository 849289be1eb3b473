import { ConfigError, type Config } from '../config/config.ts';

/** The separate API and worker processes never start embedded servers: they join shared ones. */
export function requireExternal(config: Config, command: string): { databaseUrl: string; temporalAddress: string } {
  const problems: string[] = [];
  if (!config.DATABASE_URL) problems.push(`DATABASE_URL is required by ${command} (it joins a shared PostgreSQL; use npm start for the embedded one)`);
  if (!config.TEMPORAL_ADDRESS) problems.push(`TEMPORAL_ADDRESS is required by ${command} (it joins a shared Temporal; use npm start for the embedded one)`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { databaseUrl: config.DATABASE_URL!, temporalAddress: config.TEMPORAL_ADDRESS! };
}
