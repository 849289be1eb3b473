// What every HTTP test of a cycle needs: the project's devserver with time skipping through the
// SDK's own TestWorkflowEnvironment, the API on a fresh database pointed at it, a worker with the
// cycle's activities on the main queue and the real report activities (browser renderer and
// content-addressed store) on the reports queue, as the service runs them.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { EntityManager } from '@mikro-orm/postgresql';
import pino from 'pino';
import { createReportActivities, type ReportRendererPort } from '../../activities/reports.ts';
import { createReportRenderer, type ReportRenderer } from '../../reports/index.ts';
import { createReportStore } from '../../reports/store.ts';
import { hashSecret } from '../../domain/auth/secrets.ts';
import { Account } from '../../domain/entities/account.ts';
import { ApiToken } from '../../domain/entities/api-token.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { startTestApp, type TestApp } from './app.ts';
import { replayer, runWorkers, startTimeSkipping } from './workflow-harness.ts';


export interface CycleHarness {
  env: TestWorkflowEnvironment;
  app: TestApp;
  bundle: WorkflowBundleWithSourceMap;
  /** Replays a finished workflow's history against the bundle: history-shape bugs fail here. */
  replay(workflowId: string): Promise<void>;
  close(): Promise<void>;
}

export interface CycleHarnessOptions {
  /** Wraps the real renderer of the reports worker, e.g. to make it fail once. */
  renderer?: (real: ReportRenderer) => ReportRendererPort;
}

export async function startCycleHarness(activitiesFor: (app: TestApp) => object, options: CycleHarnessOptions = {}): Promise<CycleHarness> {
  const { env, bundle } = await startTimeSkipping();
  // A start that fails half-way stops what it started: a devserver left running keeps Jest from exiting.
  const app = await startTestApp({ temporalAddress: env.address }).catch(async (error: unknown) => {
    await env.teardown();
    throw error;
  });
  const renderer = createReportRenderer({ maxConcurrentPages: 1, logger: pino({ level: 'silent' }) });
  const stopWorkers = await runWorkers(env, bundle, {
    taskQueue: app.config.TEMPORAL_TASK_QUEUE,
    activities: activitiesFor(app),
    reportActivities: createReportActivities({ renderer: options.renderer ? options.renderer(renderer) : renderer, store: createReportStore({ dataDir: app.config.DATA_DIR }), orm: app.orm }),
    maxConcurrentReports: 1,
  });
  return {
    env,
    app,
    bundle,
    replay: replayer(env, bundle),
    async close() {
      await stopWorkers();
      await renderer.close();
      await app.close();
      await env.teardown();
    },
  };
}

/** An account holding one role over a unit or an organization, with an API token kept in `tokens`. */
export function grantWithToken(em: EntityManager, tokens: Record<string, string>, login: string, role: string, scope: { unit?: unknown; organization?: unknown }): Account {
  const account = em.create(Account, { login, displayName: login, passwordHash: 'x' } as never);
  em.create(RoleAssignment, { account, role, unit: scope.unit ?? null, organization: scope.organization ?? null } as never);
  tokens[login] = `pct_${login}_${'x'.repeat(32)}`;
  em.create(ApiToken, { account, name: 'test', tokenHash: hashSecret(tokens[login]!) } as never);
  return account;
}

/** What a cycle test's `call` answers: the status, the headers, and JSON or the raw bytes (PDFs). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}

/** `call(login, method, url, payload?)` as the account `login` (null: anonymous), through the app's inject. */
export function httpCaller(app: TestApp, tokenOf: (login: string) => string | undefined) {
  return async (login: string | null, method: string, url: string, payload?: unknown): Promise<HttpAnswer> => {
    const token = login ? tokenOf(login) : undefined;
    const response = await app.server.inject({ method: method as never, url, payload: payload as never, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.statusCode, headers: response.headers, body: response.headers['content-type']?.includes('json') ? response.json() : response.rawPayload };
  };
}

/** One entry of the `reports` list of a set or posting view. */
export interface ReportEntryBody {
  type: string;
  status: string;
  reason: string | null;
  render: string | null;
  download: string | null;
  sha256: string | null;
  version: number | null;
}
