// Grid matters through HTTP with time skipping: the department registers a utility and saves its
// dispatch rules; a resident reports through the grid's QR link with a phone number; nobody
// answers, so the matter climbs from the grid to the community and the street, where it is
// answered; the resident is not satisfied (reopened), then satisfied (closed, 文明积分 credited once
// through the points hook); a grid worker's duplicate is merged; other streets and units see
// nothing; the dashboard counts it all; every finished workflow's history replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startCycleHarness, grantWithToken, httpCaller, type CycleHarness } from '../../support/cycle-harness.ts';
import type { TestApp } from '../../support/app.ts';
import { unitMaker } from '../../support/fixtures.ts';
import { createGridMatterActivities } from '../../../activities/grid-matter.ts';
import type { PointsCredit } from '../../../activities/grid-matter-points.ts';
import { DEFAULT_GRID_SETTINGS } from '../../../domain/grid-matter/rules.ts';
import { gridMatterWorkflowId } from '../../../domain/grid-matter/contracts.ts';

const HOUR = 3_600_000;
let harness: CycleHarness;
let env: TestWorkflowEnvironment;
let app: TestApp;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const credits: PointsCredit[] = [];
let creditFailures = 0;

beforeAll(async () => {
  harness = await startCycleHarness((app) => createGridMatterActivities({
    orm: app.orm,
    creditPoints: async (_em, credit) => {
      // The ledger fails once: the closing step stays written and the credit is retried, once.
      if (creditFailures++ === 0) throw new Error('the ledger is not reachable');
      if (credits.some((c) => c.sourceKey === credit.sourceKey)) return 'already';
      credits.push(credit);
      return 'credited';
    },
  }));
  ({ env, app } = harness);
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('GD', '高新区', 'district', null);
  const street = unit('GS', '柳行街道', 'street', district);
  const street2 = unit('GS2', '洸河街道', 'street', district);
  const community = unit('GC', '仙营社区', 'community', street);
  const grid = unit('GG', '第一网格', 'grid', community);
  Object.assign(ids, { district: district.id, street: street.id, community: community.id, grid: grid.id });
  const grant = (login: string, role: string | null, scope: { unit?: unknown }) => {
    if (role) return grantWithToken(em, tokens, login, role, scope);
    return grantWithToken(em, tokens, login, 'evaluator', {});
  };
  grant('dept', 'org_department', { unit: district });
  grant('street', 'street_committee', { unit: street });
  grant('street2', 'street_committee', { unit: street2 });
  grant('community', 'community_committee', { unit: community });
  grant('gridworker', 'community_committee', { unit: grid });
  ids.water = grant('water', null, {}).id;
  await em.flush();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = (login: string | null, method: string, url: string, payload?: unknown) => httpCaller(app, (l) => tokens[l])(login, method, url, payload);
type Json = Record<string, unknown> & { items?: Record<string, unknown>[] };
const body = (r: { body: unknown }) => r.body as Json;

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const detail = (id: string, login = 'dept') => call(login, 'GET', `/grid-matters/${id}`).then(body);

describe('grid matters through HTTP', () => {
  it('dispatches by the department\'s rules, climbs when nobody answers, and closes on the resident\'s rating', async () => {
    // The department registers the water company and sends water matters to it, starting at the community.
    const water = await call('dept', 'POST', '/grid-matters/responders', { unitId: ids.district, kind: 'utility', name: '高新区供水公司', memberAccountIds: [ids.water] });
    expect(water.status).toBe(201);
    const waterId = body(water).id as string;
    const bad = await call('dept', 'PUT', `/grid-matters/settings/${ids.district}`, {
      ...DEFAULT_GRID_SETTINGS,
      categories: [...DEFAULT_GRID_SETTINGS.categories, { ...DEFAULT_GRID_SETTINGS.categories[0], code: 'water', name: '供水', responderKind: 'utility', responderId: null }],
    });
    expect(bad.status).toBe(400);
    expect((body(bad).details as { field: string }[]).map((d) => d.field)).toEqual(['body.categories.7.responderId']);
    const settings = {
      ...DEFAULT_GRID_SETTINGS,
      categories: [...DEFAULT_GRID_SETTINGS.categories, {
        code: 'water', name: '供水', responderKind: 'utility', responderId: waterId, startLevel: 'community',
        deadlineHours: { normal: [24, 24, 48, 48], urgent: [4, 4, 8, 8] },
      }],
    };
    expect((await call('street', 'PUT', `/grid-matters/settings/${ids.district}`, settings)).status).toBe(403);
    const saved = await call('dept', 'PUT', `/grid-matters/settings/${ids.district}`, settings);
    expect([saved.status, saved.status === 200 ? null : saved.body]).toEqual([200, null]);
    expect(body(await call('community', 'GET', `/grid-matters/settings?unitId=${ids.community}`))).toMatchObject({ inheritedFrom: ids.district });
    expect((await call('community', 'PUT', `/grid-matters/grids/${ids.grid}/buildings`, { buildings: ['1号楼', '2号楼', '3号楼'] })).status).toBe(200);

    // The grid's QR code: a resident reports with a phone number; a wrong building or phone is named.
    const link = body(await call('community', 'POST', `/grid-matters/grids/${ids.grid}/report-link`));
    const page = body(await call(null, 'GET', link.path as string));
    expect(page).toMatchObject({ grid: '第一网格', community: '仙营社区', buildings: ['1号楼', '2号楼', '3号楼'] });
    expect((page.categories as { code: string }[]).map((c) => c.code)).toContain('water');
    const wrong = await call(null, 'POST', link.path as string, { category: 'environment', building: '9号楼', description: '垃圾', phone: '123' });
    expect(wrong.status).toBe(400);
    expect((body(wrong).details as { field: string }[]).map((d) => d.field)).toEqual(['body.building', 'body.phone']);
    const t0 = await env.currentTimeMs();
    const reported = await call(null, 'POST', link.path as string, { category: 'environment', building: '3号楼', description: '3号楼门口垃圾三天未清运', phone: '13912345678' });
    expect(reported.status).toBe(201);
    const { number, followToken } = body(reported) as { number: string; followToken: string };
    expect(number).toMatch(/^GM-\d{8}-\d{6}$/);
    const inbox = body(await call('gridworker', 'GET', '/grid-matters?inbox=true'));
    expect(inbox.items!.map((m) => m.number)).toEqual([number]);
    const id = inbox.items![0]!.id as string;
    // Filed and dispatched in one transaction: the handlers' notice (with the deadline) and both audit entries are there at once.
    const notices = await (app.orm.em.fork() as EntityManager).execute<{ title: string; body: string }[]>(
      'select title, body from notification where link = ?', [`/grid-desk/${id}`]);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((n) => n.title === '新的网格事项' && n.body.includes(`（${number}） 请于 `))).toBe(true);
    expect(((await detail(id)).timeline as { action: string }[]).map((t) => t.action)).toEqual(['report', 'dispatched']);
    expect(body(await call('street', 'GET', '/grid-matters?inbox=true')).items).toEqual([]);
    // Another street, a registered unit it is not sent to, and an unrelated account see nothing.
    for (const login of ['street2', 'water']) {
      expect((await call(login, 'GET', `/grid-matters/${id}`)).status).toBe(404);
      expect((await call(login, 'POST', `/grid-matters/${id}/accept`)).status).toBe(404);
    }

    // Nobody answers: 48 h at the grid, 48 h at the community, then it is with the street.
    await env.sleep(97 * HOUR);
    const climbed = await until(() => detail(id), (d) => d.level === 'street', 'the climb to the street');
    expect(climbed).toMatchObject({ status: 'open', assignee: '柳行街道', climbs: 2 });
    const actions = (climbed.timeline as { action: string }[]).map((t) => t.action);
    expect(actions).toEqual(['report', 'dispatched', 'reminded', 'climbed', 'reminded', 'climbed']);
    expect((await call('gridworker', 'POST', `/grid-matters/${id}/accept`)).status).toBe(403);
    expect(body(await call('street', 'GET', '/grid-matters?inbox=true')).items!.map((m) => m.number)).toEqual([number]);
    expect(body(await call('street', 'POST', `/grid-matters/${id}/accept`))).toMatchObject({ status: 'accepted', level: 'street' });
    expect((await call('street', 'POST', `/grid-matters/${id}/accept`)).status).toBe(409);
    expect(body(await call('street', 'POST', `/grid-matters/${id}/answer`, { text: '街道协调环卫所已清运' }))).toMatchObject({ status: 'answered' });

    // The resident reads the answer, is not satisfied (reopened once), then satisfied (closed).
    const followed = body(await call(null, 'GET', `/public/grid-matters/${followToken}`));
    expect(followed).toMatchObject({ number, status: 'answered', levelName: '街道党工委', answer: '街道协调环卫所已清运', canRate: true });
    // A link opens only what it was made for, while it is live: the grid's link is no follow link and the other way round;
    // an expired or revoked follow link opens nothing and rates nothing.
    const reportToken = (link.path as string).split('/').at(-1)!;
    expect((await call(null, 'GET', `/public/grid-matters/${reportToken}`)).status).toBe(404);
    expect((await call(null, 'GET', (link.path as string).replace(reportToken, followToken))).status).toBe(404);
    const db = app.orm.em.fork() as EntityManager;
    for (const spoil of ['expires_at = expires_at - interval \'500 days\'', 'revoked_at = expires_at']) {
      const [{ was }] = await db.execute<{ was: Date }[]>("select expires_at was from access_link where purpose = 'grid_matter_follow' and subject_id = ?", [id]);
      await db.execute(`update access_link set ${spoil} where purpose = 'grid_matter_follow' and subject_id = ?`, [id]);
      expect((await call(null, 'GET', `/public/grid-matters/${followToken}`)).status).toBe(404);
      expect((await call(null, 'POST', `/public/grid-matters/${followToken}/rating`, { rating: 'satisfied' })).status).toBe(404);
      await db.execute('update access_link set expires_at = ?, revoked_at = null where purpose = \'grid_matter_follow\' and subject_id = ?', [was, id]);
    }
    expect(body(await call(null, 'POST', `/public/grid-matters/${followToken}/rating`, { rating: 'unsatisfied', comment: '还有残留' }))).toMatchObject({ status: 'open', outcome: 'reopened' });
    expect((await call(null, 'POST', `/public/grid-matters/${followToken}/rating`, { rating: 'satisfied' })).status).toBe(409);
    await call('street', 'POST', `/grid-matters/${id}/answer`, { text: '已彻底清理并冲洗地面' });
    expect(body(await call(null, 'POST', `/public/grid-matters/${followToken}/rating`, { rating: 'satisfied' }))).toMatchObject({ status: 'closed', outcome: 'closed' });
    const closed = await until(() => detail(id), (d) => d.pointsCreditedAt !== null, 'the points credit');
    expect(closed).toMatchObject({ status: 'closed', rating: 'satisfied', reopened: 1, reporterPhone: '139****5678' });
    expect(creditFailures).toBe(2);
    expect(credits).toEqual([{ sourceKey: `grid-matter/${id}/satisfied`, phone: '13912345678', communityId: ids.community, memo: `网格事项 ${number} 办结（满意）` }]);
    expect((await call(null, 'POST', `/public/grid-matters/${followToken}/rating`, { rating: 'satisfied' })).status).toBe(409);
    expect(new Date(closed.closedAt as string).getTime() - t0).toBeGreaterThan(96 * HOUR);
    await harness.replay(gridMatterWorkflowId(number));
  }, 180_000);

  it('sends a category to its registered unit, whose members act; merges a grid worker\'s duplicate', async () => {
    const first = body(await call('gridworker', 'POST', '/grid-matters', { gridId: ids.grid, category: 'water', building: '1号楼', description: '1号楼停水', urgency: 'urgent' }));
    expect(first).toMatchObject({ status: 'open', level: 'community' });
    const dup = body(await call('gridworker', 'POST', '/grid-matters', { gridId: ids.grid, category: 'water', building: '1号楼', description: '1号楼没有水' }));
    const waterInbox = await call('water', 'GET', '/grid-matters?inbox=true');
    expect(waterInbox.status === 200 ? null : waterInbox.body).toBeNull();
    expect(body(waterInbox).items!.map((m) => m.number).sort()).toEqual([first.number, dup.number].sort());
    expect((await call('water', 'POST', `/grid-matters/${dup.id}/merge`, { into: 'GM-00000000-000000' })).status).toBe(400);
    expect(body(await call('water', 'POST', `/grid-matters/${dup.id}/merge`, { into: first.number }))).toMatchObject({ status: 'merged' });
    expect((await call('water', 'POST', `/grid-matters/${dup.id}/accept`)).status).toBe(409);
    await until(() => detail(first.id as string), (d) => d.duplicates === 1, 'the duplicate count');
    expect(await detail(dup.id as string)).toMatchObject({ status: 'merged', mergedInto: first.number });
    expect(body(await call('water', 'POST', `/grid-matters/${first.id}/accept`))).toMatchObject({ status: 'accepted' });
    expect((await call('street2', 'POST', '/grid-matters', { gridId: ids.grid, category: 'water', description: '越界' })).status).toBe(404);
    await harness.replay(gridMatterWorkflowId(dup.number as string));

    const dashboard = body(await call('dept', 'GET', '/grid-matters/dashboard'));
    expect(dashboard).toMatchObject({ total: 3, satisfaction: { satisfied: 1, unsatisfied: 0, rate: 1 } });
    expect((dashboard.byStatus as { key: string; count: number }[]).filter((s) => s.count > 0)).toEqual([
      { key: 'accepted', label: '办理中', count: 1 }, { key: 'closed', label: '已办结', count: 1 }, { key: 'merged', label: '已合并', count: 1 },
    ]);
    expect((dashboard.heat as { rows: { grid: string; total: number }[] }).rows).toEqual([expect.objectContaining({ grid: '第一网格', total: 3 })]);
    expect((dashboard.medianCloseHoursByUnit as { label: string; closed: number }[])).toEqual([expect.objectContaining({ label: '柳行街道', closed: 1 })]);
    expect(body(await call('street2', 'GET', '/grid-matters/dashboard')).total).toBe(0);
    expect(body(await call('dept', 'GET', '/grid-matters?status=closed')).total).toBe(1);
  }, 180_000);
});
