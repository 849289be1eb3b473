// Configuration comes from the environment only, validated once at start. Every variable
// has a schema whose `description` is the rule quoted back when a value breaks it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const Port = (rule: string, fallback: number) => Type.Integer({ minimum: 1, maximum: 65535, default: fallback, description: rule });

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://[^\\s]+$', description: 'must be a postgres:// or postgresql:// URL; leave unset for the embedded PostgreSQL' }),
  ),
  TEMPORAL_ADDRESS: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}$', description: 'must be host:port of a Temporal frontend; leave unset for the embedded server' }),
  ),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9._-]+$', default: 'default', description: 'must be a Temporal namespace name (letters, digits, . _ -)' }),
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1, maxLength: 200, default: 'party-cycles', description: 'must be a non-empty task queue name' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'must be an interface address to listen on, e.g. 127.0.0.1 or 0.0.0.0' }),
  PORT: Port('must be an integer from 1 to 65535', 3000),
  DATA_DIR: Type.String({ minLength: 1, default: path.join(projectRoot, 'data'), description: 'must be a folder path for the embedded database, uploads and reports' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info', description: 'must be one of fatal, error, warn, info, debug, trace, silent' },
  ),
  EMBEDDED_PG_PORT: Port('must be an integer from 1 to 65535 (port of the embedded PostgreSQL)', 54329),
  DEVSERVER_PORT: Port('must be an integer from 1 to 65535 (port of the embedded Temporal-compatible server)', 7233),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'must be at least 32 characters; leave unset to use a secret generated once into the database (system_setting)' })),
  AUDIT_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'must be at least 32 characters; leave unset to use a secret generated into DATA_DIR/audit-secret' })),
  REFRESH_TOKEN_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 14, description: 'must be an integer of days from 1 to 365 (how long a login session lasts without a new password login)' }),
  CHROMIUM_PATH: Type.Optional(Type.String({ minLength: 1, description: 'must be the path of a Chromium executable; leave unset for the Chromium shipped through npm' })),
  WORKER_MAX_CACHED_WORKFLOWS: Type.Integer({ minimum: 0, maximum: 100000, default: 1000, description: 'must be an integer from 0 to 100000 (workflows a worker keeps in memory between their tasks)' }),
  CYCLE_START_MAX_BACKLOG: Type.Integer({
    minimum: 0, maximum: 100000, default: 32,
    description: 'must be an integer from 0 to 100000 (first workflow tasks a cycle start lets wait on the task queue; 0 = unpaced)',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 600000, default: 20000, description: 'must be an integer of milliseconds from 1000 to 600000' }),
  UPDATE_TIMEOUT_MS: Type.Integer({ minimum: 500, maximum: 60000, default: 5000, description: 'must be an integer of milliseconds from 500 to 60000 (how long an action waits for a worker before answering 503 workflow_unavailable)' }),
  QUERY_TIMEOUT_MS: Type.Integer({ minimum: 200, maximum: 30000, default: 2000, description: 'must be an integer of milliseconds from 200 to 30000 (how long a workflow query waits for a worker before answering 503 workflow_unavailable)' }),
  PUBLIC_BASE_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s/]+(/[^\\s]*)?$', description: 'must be the http(s):// address people open the web application at (printed as QR codes on notices); leave unset for http://HOST:PORT' }),
  ),
  SEED_DEMO: Type.Boolean({ default: false, description: 'must be true or false: load the demo jurisdiction into an empty database at start' }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads the known variables from `env`, applies defaults and reports every broken rule at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    // An empty variable means "not set", as in most shells' `FOO= cmd`.
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const value = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, { ...raw }));
  const problems = new Map<string, string>();
  // Checked one variable at a time so a noisy rule (a union) cannot crowd out the others.
  for (const [key, schema] of Object.entries(ConfigSchema.properties) as [string, TSchema & { description?: string }][]) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry === undefined || Value.Check(schema, entry)) continue;
    problems.set(key, `${key} ${schema.description ?? 'is invalid'} (got ${JSON.stringify(raw[key])})`);
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()]);
  const config = value as Config;
  return { ...config, DATA_DIR: path.resolve(config.DATA_DIR) };
}
