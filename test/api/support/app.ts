// One database, one ORM and one server per test file, plus a small fixture world: two streets
// with a community each, an organization under each, and an account for each role.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import pino from 'pino';
import { loadConfig } from '../../../config/config.ts';
import { initOrm } from '../../../db/orm.ts';
import { buildServer } from '../../../api/server.ts';
import { connectTemporalClient } from '../../../temporal/client.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { AdministrativeUnit, type UnitLevel } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Account } from '../../../domain/entities/account.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../../../domain/entities/evaluator-assignment.ts';
import { Person } from '../../../domain/entities/person.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { hashPassword } from '../../../domain/auth/passwords.ts';

export const PASSWORD = 'Test@2026';

export interface TestApp {
  server: FastifyInstance;
  orm: MikroORM;
  db: TestDatabase;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestApp(): Promise<TestApp> {
  const db = await createTestDatabase('api');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'party-cycles-api-'));
  const orm = await initOrm({ url: db.url });
  const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const temporal = connectTemporalClient({ address: '127.0.0.1:1', namespace: 'default' });
  const server = await buildServer({ config, orm, temporal }, { logger: pino({ level: 'silent' }) });
  return {
    server, orm, db, dataDir,
    async close() {
      await server.close();
      await temporal.connection.close().catch(() => {});
      await orm.close(true);
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Makes units with their materialized path under a parent. */
const unitMaker = (em: EntityManager) => (code: string, name: string, level: UnitLevel, parent: AdministrativeUnit | null) => {
  const u = em.create(AdministrativeUnit, { code, name, level, parent, partyOrgName: `${name}党组织`, path: '', depth: parent ? parent.depth + 1 : 0 });
  u.path = `${parent?.path ?? ''}${u.id}/`;
  return u;
};

/** Logs every account in with PASSWORD; the access token of each by login name. */
async function loginAll(app: TestApp, logins: string[]): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const name of logins) {
    const res = await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: name, password: PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${name}: ${res.statusCode} ${res.body}`);
    tokens[name] = res.json().accessToken;
  }
  return tokens;
}

export interface World {
  district: AdministrativeUnit;
  streetA: AdministrativeUnit;
  streetB: AdministrativeUnit;
  communityA: AdministrativeUnit;
  communityB: AdministrativeUnit;
  orgA: Organization;
  orgB: Organization;
  personA: Person;
  personB: Person;
  /** Bearer tokens by name: admin, orgDept, streetA, streetB, communityA, enterpriseA, enterpriseB, partyOrgA, secretaryA, dispatching, evaluatorA, nobody. */
  tokens: Record<string, string>;
  accounts: Record<string, string>;
}

export async function buildWorld(app: TestApp): Promise<World> {
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('D1', '测试区', 'district', null);
  const streetA = unit('S-A', '甲街道', 'street', district);
  const streetB = unit('S-B', '乙街道', 'street', district);
  const communityA = unit('C-A', '甲社区', 'community', streetA);
  const communityB = unit('C-B', '乙社区', 'community', streetB);
  const org = (name: string, u: AdministrativeUnit, code: string) => em.create(Organization, { name, kind: 'non_public_enterprise', unit: u, creditCode: code, partyOrgName: `${name}党支部`, responsiblePeople: [{ role: '负责人', name: '张三' }], address: null });
  const orgA = org('甲科技有限公司', communityA, '91370800MA3C000001');
  const orgB = org('乙商贸有限公司', communityB, '91370800MA3C000002');
  const dispatcher = em.create(Organization, { name: '区财政局', kind: 'resident_unit', unit: district, creditCode: null, partyOrgName: '区财政局党组', responsiblePeople: [], address: null });
  const personA = em.create(Person, { name: '王甲', phone: '13800000001', title: '职工', unit: communityA, organization: orgA });
  const personB = em.create(Person, { name: '李乙', phone: '13800000002', title: '职工', unit: communityB, organization: orgB });
  const hash = await hashPassword(PASSWORD);
  const accounts: Record<string, string> = {};
  const account = (name: string, grants: { role: Role; unit?: AdministrativeUnit; organization?: Organization }[]) => {
    const a = em.create(Account, { login: name, displayName: name, passwordHash: hash, active: true, person: null });
    for (const g of grants) em.create(RoleAssignment, { account: a, role: g.role, unit: g.unit ?? null, organization: g.organization ?? null });
    accounts[name] = a.id;
    return a;
  };
  account('admin', [{ role: 'admin' }]);
  account('orgDept', [{ role: 'org_department', unit: district }]);
  account('streetA', [{ role: 'street_committee', unit: streetA }]);
  account('streetB', [{ role: 'street_committee', unit: streetB }]);
  account('communityA', [{ role: 'community_committee', unit: communityA }]);
  account('enterpriseA', [{ role: 'enterprise_rep', organization: orgA }]);
  account('enterpriseB', [{ role: 'enterprise_rep', organization: orgB }]);
  account('partyOrgA', [{ role: 'enterprise_party_org', organization: orgA }]);
  account('secretaryA', [{ role: 'first_secretary', unit: communityA }]);
  account('dispatching', [{ role: 'dispatching_unit', organization: dispatcher }]);
  const evaluator = account('evaluatorA', [{ role: 'evaluator' }]);
  account('nobody', []);
  em.create(EvaluatorAssignment, { account: evaluator, subjectType: 'organization', subjectId: orgA.id, cycle: null });
  await em.flush();
  const tokens = await loginAll(app, Object.keys(accounts));
  return { district, streetA, streetB, communityA, communityB, orgA, orgB, personA, personB, tokens, accounts };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A second district beside the world's, with its own department: nothing in it is the first district's business. */
export interface OtherDistrict {
  district: AdministrativeUnit;
  street: AdministrativeUnit;
  community: AdministrativeUnit;
  org: Organization;
  person: Person;
  tokens: Record<string, string>;
  accounts: Record<string, string>;
}

export async function buildOtherDistrict(app: TestApp): Promise<OtherDistrict> {
  const em = app.orm.em.fork() as EntityManager;
  const unit = unitMaker(em);
  const district = unit('D2', '邻区', 'district', null);
  const street = unit('S-2', '丙街道', 'street', district);
  const community = unit('C-2', '丙社区', 'community', street);
  const org = em.create(Organization, { name: '丙制造有限公司', kind: 'non_public_enterprise', unit: community, creditCode: '91370800MA3C000009', partyOrgName: '丙制造党支部', responsiblePeople: [], address: null });
  const person = em.create(Person, { name: '赵丙', phone: '13800000009', title: '职工', unit: community, organization: org });
  const hash = await hashPassword(PASSWORD);
  const accounts: Record<string, string> = {};
  const account = (name: string, grants: { role: Role; unit?: AdministrativeUnit; organization?: Organization }[], person: Person | null = null) => {
    const a = em.create(Account, { login: name, displayName: name, passwordHash: hash, active: true, person });
    for (const g of grants) em.create(RoleAssignment, { account: a, role: g.role, unit: g.unit ?? null, organization: g.organization ?? null });
    accounts[name] = a.id;
  };
  account('orgDept2', [{ role: 'org_department', unit: district }]);
  account('street2', [{ role: 'street_committee', unit: street }]);
  account('enterprise2', [{ role: 'enterprise_rep', organization: org }], person);
  await em.flush();
  const tokens = await loginAll(app, Object.keys(accounts));
  return { district, street, community, org, person, tokens, accounts };
}
