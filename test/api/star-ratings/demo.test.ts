// Enrolment over the demo jurisdiction (任城区, 300 enterprises and social organizations): a
// share that grows from one year to the next starts one workflow per newly enrolled
// organization, never twice for the same organization.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, Worker } from '@temporalio/worker';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createStarRatingActivities } from '../../../activities/star-rating.ts';
import { seedDemo, DEMO_PASSWORD } from '../../../seeds/demo.ts';
import { starRatingStatus, starRatingWorkflowId } from '../../../domain/star-rating/contracts.ts';
import { shanghaiDate } from '../../../domain/time.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const devserverBin = path.resolve(here, '../../../devserver/bin/devserver');
const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

let env: TestWorkflowEnvironment;
let app: TestApp;
let worker: Worker;
let running: Promise<void>;
let token = '';

beforeAll(async () => {
  Runtime.install({ logger: quiet as never });
  const [testEnv, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: devserverBin } } }),
    bundleWorkflowCode({ workflowsPath: path.resolve(here, '../../../workflows/index.ts'), logger: quiet }),
  ]);
  env = testEnv;
  app = await startTestApp({ temporalAddress: env.address });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue: app.config.TEMPORAL_TASK_QUEUE, workflowBundle: bundle, activities: createStarRatingActivities({ orm: app.orm }) });
  running = worker.run();
  await seedDemo(app.orm);
  const res = await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: 'orgdept', password: DEMO_PASSWORD } });
  token = res.json().accessToken;
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await app?.close();
  await env?.teardown();
});

const enrol = (payload: unknown) => app.server.inject({ method: 'POST', url: '/star-ratings/enrolments', payload: payload as never, headers: { authorization: `Bearer ${token}` } });

describe('star rating enrolment over the demo jurisdiction', () => {
  it('enrols 5% then 10% of the eligible organizations, one workflow each', async () => {
    const thisYear = Number(shanghaiDate(Date.now()).slice(0, 4));
    // Last year's deadlines have all passed: refused, naming each date to change, and nothing
    // enrolled (enrolled then, every organization would be 不予评定 by `system` at once).
    const late = await enrol({ year: thisYear - 1, rule: { mode: 'share', share: 0.05 } });
    expect(late.statusCode).toBe(400);
    expect(late.json().details.map((d: { field: string }) => d.field)).toEqual(['body.settings.selfAssessmentDue', 'body.settings.preliminaryDue', 'body.settings.scoringDue']);
    expect(late.json().details[0].rule).toContain(`${thisYear - 1}-10-31`);
    const year = thisYear + 1;
    const first = await enrol({ year, rule: { mode: 'share', share: 0.05 } });
    expect(first.statusCode).toBe(201);
    const firstBody = first.json();
    expect(firstBody).toMatchObject({ eligible: 300, alreadyEnrolled: 0, targetTotal: 15, failedToStart: 0 });
    expect(firstBody.enrolled).toHaveLength(15);

    expect((await enrol({ year: year + 1, rule: { mode: 'share', share: 0.03 } })).statusCode).toBe(400);
    const second = (await enrol({ year: year + 1, rule: { mode: 'share', share: 0.1 } })).json();
    expect(second).toMatchObject({ eligible: 300, alreadyEnrolled: 15, targetTotal: 30 });
    expect(new Set([...firstBody.enrolled, ...second.enrolled]).size).toBe(30);

    const sample = env.client.workflow.getHandle(starRatingWorkflowId(second.enrolled[0]));
    const status = await sample.query(starRatingStatus);
    expect([status.year, status.firstYear, status.phase, status.stars]).toEqual([year + 1, year + 1, 'self_assessment', 0]);
    const described = await env.client.workflow.getHandle(starRatingWorkflowId(firstBody.enrolled[0])).describe();
    expect(described.status.name).toBe('RUNNING');
  }, 120_000);
});
