// GET /audit shows a department the rows about its own jurisdiction, and nothing of another
// district's organizations, people or logins; an administrator sees everything. The audit
// secret: from AUDIT_SECRET, else a 0600 file under DATA_DIR made once and reused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, PASSWORD, type World } from '../support/fixtures.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { AUDIT_SECRET_FILE, loadAuditKey } from '../../domain/audit/key.ts';
import { recordAuditBatch, SYSTEM_ACTOR } from '../../domain/audit/record.ts';
import { Cycle } from '../../domain/entities/cycle.ts';

let app: TestApp;
let world: World;
/** The second district: its department, a street committee and an organization. */
let other: { orgDept: string; street: string; orgId: string; accountIds: string[]; districtId: string; communityId: string };

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  const em = app.orm.em.fork() as EntityManager;
  const unit = (code: string, name: string, level: 'district' | 'street' | 'community', parent: AdministrativeUnit | null) => {
    const u = em.create(AdministrativeUnit, { code, name, level, parent, partyOrgName: `${name}党组织`, path: '', depth: parent ? parent.depth + 1 : 0 });
    u.path = `${parent?.path ?? ''}${u.id}/`;
    return u;
  };
  const district = unit('D2', '第二区', 'district', null);
  const street = unit('D2-S', '丙街道', 'street', district);
  const community = unit('D2-C', '丙社区', 'community', street);
  const org = em.create(Organization, { name: '丙制造有限公司', kind: 'non_public_enterprise', unit: community, creditCode: '91370800MA3C000009', partyOrgName: '丙党支部', responsiblePeople: [], address: null });
  const hash = await hashPassword(PASSWORD);
  const accountIds: string[] = [];
  for (const [login, role, where] of [['orgDept2', 'org_department', district], ['street2', 'street_committee', street]] as const) {
    const account = em.create(Account, { login, displayName: login, passwordHash: hash, active: true, person: null });
    em.create(RoleAssignment, { account, role, unit: where, organization: null });
    accountIds.push(account.id);
  }
  await em.flush();
  const login = async (name: string) => (await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: name, password: PASSWORD } })).json().accessToken as string;
  other = { orgDept: await login('orgDept2'), street: await login('street2'), orgId: org.id, accountIds, districtId: district.id, communityId: community.id };
  // Rows about each district's organization, written by its own street committee.
  expect((await app.server.inject({ method: 'PATCH', url: `/organizations/${org.id}`, headers: bearer(other.street), payload: { partyOrgName: '丙党总支' } })).statusCode).toBe(200);
  expect((await app.server.inject({ method: 'PATCH', url: `/organizations/${world.orgA.id}`, headers: bearer(world.tokens.streetA!), payload: { partyOrgName: '甲党总支' } })).statusCode).toBe(200);
});
afterAll(async () => app?.close());

const audit = async (token: string, query: string) => {
  const res = await app.server.inject({ method: 'GET', url: `/audit?${query}`, headers: bearer(token) });
  expect(res.statusCode).toBe(200);
  return res.json() as { items: { entityType: string; entityId: string; action: string; actor: string }[]; total: number };
};

describe('GET /audit by jurisdiction', () => {
  it('shows nothing about an organization of another district', async () => {
    expect(await audit(world.tokens.orgDept!, `entityId=${other.orgId}`)).toMatchObject({ items: [], total: 0 });
    expect(await audit(world.tokens.orgDept!, 'entityType=organization')).toMatchObject({ total: 1, items: [{ entityId: world.orgA.id, action: 'organization.update' }] });
    // The other district's department sees its own row, and not the first district's.
    expect(await audit(other.orgDept, `entityId=${other.orgId}`)).toMatchObject({ total: 1, items: [{ entityId: other.orgId, actor: 'street2' }] });
    expect(await audit(other.orgDept, `entityId=${world.orgA.id}`)).toMatchObject({ items: [], total: 0 });
  });

  it("shows the logins of the caller's own district only, never an administrator's", async () => {
    const mine = await audit(world.tokens.orgDept!, 'entityType=account&limit=200');
    const ids = new Set(mine.items.map((i) => i.entityId));
    expect(mine.total).toBeGreaterThan(0);
    for (const id of other.accountIds) expect(ids.has(id)).toBe(false);
    expect(ids.has(world.accounts.admin!)).toBe(false);
    expect(ids.has(world.accounts.streetA!)).toBe(true);
    expect(ids.has(world.accounts.enterpriseA!)).toBe(true);

    const theirs = await audit(other.orgDept, 'entityType=account&limit=200');
    expect(new Set(theirs.items.map((i) => i.entityId))).toEqual(new Set(other.accountIds));
    // Unfiltered, the other department's whole view is its own two logins and its organization.
    expect((await audit(other.orgDept, 'limit=200')).items.map((i) => i.entityType).sort()).toEqual(['account', 'account', 'organization']);
  });

  it('shows an administrator every row', async () => {
    const all = await audit(world.tokens.admin!, 'limit=200');
    const { rows } = await app.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from audit_entry').then((r) => ({ rows: r }));
    expect(all.total).toBe(Number(rows[0]!.n));
    expect(all.items.some((i) => i.entityId === other.orgId)).toBe(true);
    expect(all.items.some((i) => i.entityId === world.orgA.id)).toBe(true);
  });

  it('places rows about cycles, star rounds, postings and units by their own jurisdiction', async () => {
    const em = app.orm.em.fork() as EntityManager;
    const cycle = em.create(Cycle, { type: 'star_rating', year: 2026, name: '第二区星级评定', scope: { unitIds: [other.districtId], organizationIds: [] }, settings: {} });
    const byOrganizations = em.create(Cycle, { type: 'dual_commitment', year: 2026, name: '第二区双向承诺', scope: { unitIds: [], organizationIds: [other.orgId] }, settings: {} });
    await em.flush();
    const rows = [
      { entityType: 'cycle', entityId: cycle.id },
      { entityType: 'cycle', entityId: byOrganizations.id },
      { entityType: 'star_round', entityId: `${other.orgId}/2026` },
      { entityType: 'unit', entityId: other.communityId },
      { entityType: 'administrative_unit', entityId: other.districtId },
      { entityType: 'posting_cohort', entityId: other.districtId, after: { communityId: other.communityId } },
    ];
    await em.transactional(async (tx) => {
      await recordAuditBatch(tx as EntityManager, rows.map((r) => ({ actor: SYSTEM_ACTOR, action: 'test.place', ...r })));
    });
    const seen = async (token: string) => (await audit(token, 'limit=200')).items.filter((i) => i.action === 'test.place').map((i) => `${i.entityType}:${i.entityId}`).sort();
    expect(await seen(other.orgDept)).toEqual(rows.map((r) => `${r.entityType}:${r.entityId}`).sort());
    expect(await seen(world.tokens.orgDept!)).toEqual([]);
  });

  it('keeps rows about a deleted subject inside its district through the row snapshot', async () => {
    const created = await app.server.inject({ method: 'POST', url: '/people', headers: bearer(other.street), payload: { name: '临时人员', organizationId: other.orgId } });
    expect(created.statusCode).toBe(201);
    const personId = created.json().id as string;
    expect((await app.server.inject({ method: 'DELETE', url: `/people/${personId}`, headers: bearer(other.street) })).statusCode).toBe(204);
    expect((await audit(other.orgDept, `entityType=person&entityId=${personId}`)).total).toBe(2);
    expect((await audit(world.tokens.orgDept!, `entityType=person&entityId=${personId}`)).total).toBe(0);
  });
});

describe('the audit secret', () => {
  it('is AUDIT_SECRET when set, else a 0600 file under DATA_DIR made on first start and reused', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'audit-key-'));
    try {
      const first = await loadAuditKey({ dataDir: dir });
      const file = path.join(dir, AUDIT_SECRET_FILE);
      expect(first.source).toBe(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
      const again = await loadAuditKey({ dataDir: dir });
      expect(again.secret.equals(first.secret)).toBe(true);
      // Two processes starting together on one DATA_DIR agree on one secret.
      const [a, b] = await Promise.all([loadAuditKey({ dataDir: path.join(dir, 'x') }), loadAuditKey({ dataDir: path.join(dir, 'x') })]);
      expect(a.secret.equals(b.secret)).toBe(true);
      const configured = await loadAuditKey({ secret: 's'.repeat(40), dataDir: dir });
      expect(configured).toEqual({ secret: Buffer.from('s'.repeat(40)), source: 'AUDIT_SECRET', checkpointFile: path.join(dir, 'audit-checkpoints.jsonl') });
      await expect(loadAuditKey({ secret: 'short', dataDir: dir })).rejects.toThrow(/at least 32 characters/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
