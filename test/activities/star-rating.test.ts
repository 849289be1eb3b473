// The star rating activities against a real database: a retried move writes once, incentives
// follow the level, an older status never overwrites a newer one, the year's records are read
// from the dual commitments, and the rules in force come from the department's latest cycle.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initOrm } from '../../db/orm.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createStarRatingActivities, type StarMoveInput } from '../../activities/star-rating.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Cycle } from '../../domain/entities/cycle.ts';
import { CommitmentFeedback, CommitmentSet } from '../../domain/entities/commitment.ts';
import { StarEnrolment, StarMove, StarRound } from '../../domain/entities/star-rating.ts';
import { StarIncentiveGrant } from '../../domain/entities/star-tracking.ts';
import { AuditEntry } from '../../domain/entities/audit-entry.ts';
import { defaultIncentiveCatalog } from '../../domain/catalogs/incentives.ts';
import { incentivesFor } from '../../domain/star-rating/rules.ts';
import { initialState } from '../../domain/star-rating/state.ts';

let db: TestDatabase;
let orm: MikroORM;
let orgId = '';
let acts: ReturnType<typeof createStarRatingActivities>;

beforeAll(async () => {
  db = await createTestDatabase('star_acts');
  orm = await initOrm({ url: db.url });
  acts = createStarRatingActivities({ orm });
  const em = orm.em.fork() as EntityManager;
  const district = em.create(AdministrativeUnit, { code: 'd', name: '区', level: 'district', parent: null, path: '', depth: 0, partyOrgName: '区委' } as never);
  district.path = `${district.id}/`;
  const org = em.create(Organization, { name: '甲公司', kind: 'non_public_enterprise', unit: district, responsiblePeople: [] } as never);
  orgId = org.id;
  const cycle = em.create(Cycle, { type: 'star_rating', year: 2030, name: '星级', scope: { unitIds: [district.id] }, settings: { publicationDays: 5, trackingCap: 6 }, status: 'running' } as never);
  em.create(Cycle, { type: 'star_rating', year: 2032, name: '星级', scope: { unitIds: [district.id] }, settings: { publicationDays: 9 }, status: 'running' } as never);
  em.create(StarEnrolment, { organization: org, departmentUnit: district, cycle, firstYear: 2030, workflowId: `star-rating/${org.id}` } as never);
  const dc = em.create(Cycle, { type: 'dual_commitment', year: 2030, name: '双诺', scope: { unitIds: [] }, settings: {}, status: 'completed' } as never);
  const set = em.create(CommitmentSet, { cycle: dc, organization: org, year: 2030, workflowId: `dual-commitment/${org.id}/2030`, gate: 'filed', status: 'approved', totalScore: 77.5, filedAt: new Date() } as never);
  for (const rating of [5, 4, 2, 1]) em.create(CommitmentFeedback, { set, kind: 'satisfaction', rating, clientHash: 'h'.repeat(64) } as never);
  await em.flush();
}, 60_000);

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

const move = (over: Partial<StarMoveInput>): StarMoveInput => ({
  key: `${orgId}/2030/rating`, organizationId: orgId, year: 2030, trigger: 'rating', outcome: 'awarded', from: 0, to: 4, total: 84, reason: '评定为4星',
  decidedByAccountId: null, decidedByLabel: 'dept', eventIds: [], evidenceFileIds: [], objectionIds: [], plaqueValidUntil: '2032-12-31', ...over,
});

describe('star rating activities', () => {
  it('loads the rules of the cycle in force for the year', async () => {
    expect((await acts.loadStarYear({ organizationId: orgId, year: 2031, firstYear: 2030 })).plan).toMatchObject({ kind: 'review', publicationDays: 5 });
    const y2032 = await acts.loadStarYear({ organizationId: orgId, year: 2032, firstYear: 2030 });
    expect([y2032.plan.kind, y2032.plan.publicationDays, y2032.trackingCap]).toEqual(['rating', 9, 10]);
  });

  it('reads the filed dual-commitment total and the satisfaction rate; nothing for a year without a record', async () => {
    expect(await acts.loadYearRecords({ organizationId: orgId, year: 2030 })).toEqual({ dualCommitmentScore: 77.5, staffSatisfaction: 0.5 });
    expect(await acts.loadYearRecords({ organizationId: orgId, year: 2031 })).toEqual({ dualCommitmentScore: null, staffSatisfaction: null });
  });

  it('writes a retried move once, grants the level\'s incentives, and withdraws those above a lowered level', async () => {
    const first = await acts.recordStarMove(move({}));
    expect(first.plaque).toMatchObject({ type: 'star-plaque', subjectId: orgId, requestKey: `star-plaque/${orgId}/2030/rating`, data: { enterprise: '甲公司', stars: 4, year: 2030, validUntil: '2032-12-31' } });
    // A retry before the plaque is filed asks for the same plaque again (renderReport finds it by its key); after, for none.
    expect((await acts.recordStarMove(move({}))).plaque?.requestKey).toBe(first.plaque!.requestKey);
    await acts.recordPlaque({ key: `${orgId}/2030/rating`, sha256: 'a'.repeat(64) });
    await acts.recordPlaque({ key: `${orgId}/2030/rating`, sha256: 'b'.repeat(64) });
    expect((await acts.recordStarMove(move({}))).plaque).toBeNull();
    const em = orm.em.fork() as EntityManager;
    expect((await em.findOneOrFail(StarMove, { moveKey: `${orgId}/2030/rating` })).plaqueSha256).toBe('a'.repeat(64));
    expect(await em.count(StarMove, { organization: orgId })).toBe(1);
    expect(await em.count(StarIncentiveGrant, { organization: orgId, withdrawnAt: null })).toBe(incentivesFor(4, defaultIncentiveCatalog).length);
    expect((await em.findOneOrFail(StarEnrolment, { organization: orgId })).currentStars).toBe(4);

    await acts.recordStarMove(move({ key: `${orgId}/2031/annual-2031`, year: 2031, trigger: 'annual_review', outcome: 'lowered', from: 4, to: 2, reason: '复审下调' }));
    await acts.recordStarMove(move({ key: `${orgId}/2031/annual-2031`, year: 2031, trigger: 'annual_review', outcome: 'lowered', from: 4, to: 2, reason: '复审下调' }));
    const fresh = orm.em.fork() as EntityManager;
    const active = await fresh.find(StarIncentiveGrant, { organization: orgId, withdrawnAt: null });
    expect(active.map((g) => g.measureCode).sort()).toEqual(incentivesFor(2, defaultIncentiveCatalog).map((m) => m.code).sort());
    expect(await fresh.count(StarIncentiveGrant, { organization: orgId, withdrawnByMove: `${orgId}/2031/annual-2031` })).toBe(incentivesFor(4, defaultIncentiveCatalog).length - incentivesFor(2, defaultIncentiveCatalog).length);
    expect(await fresh.count(AuditEntry, { action: { $like: 'star_rating.%' } })).toBe(3);
  });

  it('never lets an older status overwrite a newer one', async () => {
    const status = initialState({ organizationId: orgId, year: 2030, firstYear: 2030, stars: 0, lastRating: null, events: [] });
    await acts.syncStarRound({ organizationId: orgId, year: 2030, status: { ...status, phase: 'scoring', revision: 5 } });
    await acts.syncStarRound({ organizationId: orgId, year: 2030, status: { ...status, phase: 'self_assessment', revision: 3 } });
    const em = orm.em.fork() as EntityManager;
    expect((await em.findOneOrFail(StarRound, { organization: orgId, year: 2030 })).phase).toBe('scoring');
  });
});
