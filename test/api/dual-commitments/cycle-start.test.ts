// Starting a cycle's workflows on a real database with a scripted Temporal client: a set is
// started, already running (counted as started), or failed with its reason; a start cut short
// resumes at boot; failed sets start again once their error is cleared (the retry route); the
// workflows start at a priority below the default.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import pino from 'pino';
import { initOrm } from '../../../db/orm.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { createCycleStarter } from '../../../api/services/dual-commitments/cycle-start.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { CommitmentSet } from '../../../domain/entities/commitment.ts';

let db: TestDatabase;
let orm: MikroORM;
let cycleId = '';
const orgIds: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('cycle_start');
  orm = await initOrm({ url: db.url });
  const em = orm.em.fork() as EntityManager;
  const district = em.create(AdministrativeUnit, { code: 'd1', name: '测试区', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '中共测试区委' } as never);
  district.path = `${district.id}/`;
  const cycle = em.create(Cycle, { type: 'dual_commitment', year: 2026, name: '2026年度双向承诺', scope: {}, settings: {}, status: 'running' } as never);
  cycleId = cycle.id;
  for (const name of ['甲公司', '乙公司', '丙公司', '丁公司']) {
    const org = em.create(Organization, { name, kind: 'non_public_enterprise', unit: district, responsiblePeople: [] } as never);
    orgIds[name] = org.id;
    em.create(CommitmentSet, { cycle, organization: org, year: 2026, workflowId: `dual-commitment/${org.id}/2026` } as never);
  }
  await em.flush();
}, 60_000);

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

/** A Temporal client whose start answers per workflow ID from a script, and records the calls. */
function scriptedClient(answer: (workflowId: string) => 'ok' | 'running' | 'down') {
  const calls: string[] = [];
  const priorities: (number | undefined)[] = [];
  const client = {
    workflow: {
      async start(_type: string, options: { workflowId: string; priority?: { priorityKey?: number } }) {
        calls.push(options.workflowId);
        priorities.push(options.priority?.priorityKey);
        const a = answer(options.workflowId);
        if (a === 'running') throw new WorkflowExecutionAlreadyStartedError('already started', options.workflowId, 'dualCommitment');
        if (a === 'down') throw new Error('14 UNAVAILABLE: connection refused');
      },
    },
  };
  return { client: client as unknown as Client, calls, priorities };
}

const setOf = (name: string) => orm.em.fork().findOneOrFail(CommitmentSet, { organization: orgIds[name]! });
const log = pino({ level: 'silent' });

describe('starting a cycle in the background', () => {
  it('marks started, already running and failed sets, and retries only the failed ones', async () => {
    const { client, calls, priorities } = scriptedClient((id) => (id.includes(orgIds['乙公司']!) ? 'running' : id.includes(orgIds['丙公司']!) ? 'down' : 'ok'));
    const starter = createCycleStarter({ orm, temporal: client, taskQueue: 'q', log });
    starter.startInBackground(cycleId);
    await starter.idle(cycleId);
    expect(calls).toHaveLength(4);
    // Below Temporal's default priority (3): the start's backlog yields to every other workflow's tasks.
    expect(priorities).toEqual([4, 4, 4, 4]);
    expect((await setOf('甲公司')).startedAt).toBeInstanceOf(Date);
    expect((await setOf('乙公司')).startedAt).toBeInstanceOf(Date);
    const failed = await setOf('丙公司');
    expect(failed.startedAt).toBeNull();
    expect(failed.startError).toContain('UNAVAILABLE');

    // Nothing is pending any more: a boot resumes nothing, and failed sets wait for a retry.
    await starter.resumePending();
    await starter.idle(cycleId);
    expect(calls).toHaveLength(4);

    // The retry route clears the error; the next start takes exactly that set.
    const retry = scriptedClient(() => 'ok');
    const second = createCycleStarter({ orm, temporal: retry.client, taskQueue: 'q', log });
    await orm.em.fork().nativeUpdate(CommitmentSet, { id: failed.id }, { startError: null });
    second.startInBackground(cycleId);
    await second.idle(cycleId);
    expect(retry.calls).toEqual([failed.workflowId]);
    expect((await setOf('丙公司')).startedAt).toBeInstanceOf(Date);
  });

  it('resumes at boot the sets a stopped process left pending', async () => {
    const cut = await setOf('丁公司');
    await orm.em.fork().nativeUpdate(CommitmentSet, { id: cut.id }, { startedAt: null, startError: null });
    const { client, calls } = scriptedClient(() => 'running');
    const starter = createCycleStarter({ orm, temporal: client, taskQueue: 'q', log });
    await starter.resumePending();
    await starter.idle(cycleId);
    expect(calls).toEqual([cut.workflowId]);
    expect((await setOf('丁公司')).startedAt).toBeInstanceOf(Date);
    await starter.close();
  });
});
