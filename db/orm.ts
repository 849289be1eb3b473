// MikroORM on PostgreSQL: one ORM per process, entities and migrations listed explicitly,
// migrations applied at boot under an advisory lock so API and worker processes can start together.
import { MikroORM, type Logger, type LoggerNamespace, type LoggerOptions } from '@mikro-orm/core';
import { defineConfig, type EntityManager } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import type { Logger as Pino } from 'pino';
import { entities } from '../domain/entities/index.ts';
import { migrations } from '../migrations/index.ts';
import { auditKeyFromSecret, bindAuditKey, type AuditKey } from '../domain/audit/key.ts';
import { bindClock, type Clock } from '../domain/clock.ts';
import { AuditChainer } from '../domain/audit/append.ts';

export type Orm = MikroORM;
export type { EntityManager };

export interface OrmOptions {
  url: string;
  logger?: Pino;
  /** Connection pool size of this process. */
  poolMax?: number;
  debug?: boolean;
  /**
   * The audit log's secret (loadAuditKey: AUDIT_SECRET or DATA_DIR/audit-secret). Without it,
   * AUDIT_SECRET from the environment is used (tests and scripts); without either, writing or
   * verifying the audit log fails with a message saying so.
   */
  auditKey?: AuditKey;
  /** The service's clock (domain/clock.ts); the system clock when absent. */
  clock?: Clock;
}

export function ormConfig(options: OrmOptions) {
  return defineConfig({
    clientUrl: options.url,
    entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: migrations,
      tableName: 'mikro_orm_migrations',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    // The service code always forks explicitly (RequestContext per request, em.fork() per activity).
    allowGlobalContext: false,
    debug: options.debug ?? false,
    loggerFactory: options.logger ? (loggerOptions) => pinoLogger(options.logger!, loggerOptions) : undefined,
    forceUtcTimezone: true,
    // Chains the audit rows a transaction wrote right after it commits (domain/audit/append.ts).
    subscribers: [new AuditChainer()],
  });
}

const MIGRATION_LOCK = 20_260_101;

/** Connects and brings the schema up to date; concurrent processes wait for the first. */
export async function initOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(options));
  const auditKey = options.auditKey ?? (process.env.AUDIT_SECRET ? auditKeyFromSecret(process.env.AUDIT_SECRET) : undefined);
  if (auditKey) bindAuditKey(orm.config, auditKey);
  if (options.clock) bindClock(orm.config, options.clock);
  const lock = new pg.Client({ connectionString: options.url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await orm.migrator.up();
    if (applied.length > 0) options.logger?.info({ migrations: applied.map((m) => m.name) }, 'database migrations applied');
  } catch (error) {
    await orm.close(true);
    throw error;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await lock.end();
  }
  return orm;
}

/** True when a trivial query answers within the timeout. */
export async function databaseReachable(orm: MikroORM, timeoutMs = 2000): Promise<{ ok: true } | { ok: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      orm.em.fork().getConnection().execute('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function pinoLogger(base: Pino, options: LoggerOptions): Logger {
  const log = base.child({ component: 'orm' });
  const enabled = (namespace: string) =>
    options.debugMode === true || (Array.isArray(options.debugMode) && options.debugMode.includes(namespace as LoggerNamespace));
  return {
    log: (namespace, message) => {
      if (enabled(namespace)) log.debug({ namespace }, message);
    },
    error: (namespace, message) => log.error({ namespace }, message),
    warn: (namespace, message) => log.warn({ namespace }, message),
    logQuery: (context) => {
      if (enabled('query')) log.debug({ took: context.took }, context.query);
    },
    setDebugMode: () => {},
    isEnabled: (namespace) => enabled(namespace),
  };
}
