// The one fixtures module of the API tests: the units, organizations, people, accounts and
// tokens tests act with. buildWorld: two streets with a community each, an organization under
// each and an account for each role (logged in with PASSWORD); buildOtherDistrict: a second
// district nothing of the first may see; seedPostingWorld: a district of first-secretary
// postings (a cohort, its postings, an account per role with an API token).
import type { EntityManager } from '@mikro-orm/postgresql';
import { AdministrativeUnit, type UnitLevel } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { Person } from '../../domain/entities/person.ts';
import { ApiToken } from '../../domain/entities/api-token.ts';
import { Posting } from '../../domain/entities/posting.ts';
import { PostingCohort } from '../../domain/entities/posting-cohort.ts';
import type { Role } from '../../domain/auth/roles.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';
import { hashSecret } from '../../domain/auth/secrets.ts';
import { DEFAULT_COHORT_SETTINGS } from '../../domain/posting/rules.ts';
import type { TestApp } from './app.ts';

export const PASSWORD = 'Test@2026';

/** Makes units with their materialized path under a parent. */
/** Builds administrative units with their materialized path (the tree's own rule), for any test's world. */
export const unitMaker = (em: EntityManager) => (code: string, name: string, level: UnitLevel, parent: AdministrativeUnit | null) => {
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

// ── First-secretary postings.

export interface PostingWorld {
  districtId: string;
  streetId: string;
  communityId: string;
  unitId: string;
  cohortId: string;
  postingIds: string[];
  personIds: string[];
  /** login → bearer token */
  tokens: Record<string, string>;
  accounts: Record<string, string>;
}

export async function seedPostingWorld(em: EntityManager, options: { postings?: number; startsOn?: string; createPostings?: boolean } = {}): Promise<PostingWorld> {
  const unit = (code: string, name: string, level: string, parent: AdministrativeUnit | null, partyOrgName: string) => {
    const u = em.create(AdministrativeUnit, { code, name, level, parent, path: '', depth: parent ? parent.depth + 1 : 0, partyOrgName } as never);
    u.path = `${parent ? parent.path : ''}${u.id}/`;
    return u;
  };
  const district = unit('dafang', '大方县', 'district', null, '中共大方县委');
  const street = unit('dafang-s1', '顺德街道', 'street', district, '顺德街道党工委');
  const community = unit('dafang-c1', '红旗社区', 'community', street, '红旗社区党委');
  const dispatching = em.create(Organization, { name: '县财政局', kind: 'resident_unit', unit: district, responsiblePeople: [{ role: '局长', name: '陈局长' }] } as never);
  const startsOn = options.startsOn ?? '2025-01-01';
  const cohort = em.create(PostingCohort, { name: '2025年城市社区第一书记', region: district, startsOn, settings: DEFAULT_COHORT_SETTINGS } as never);
  const tokens: Record<string, string> = {};
  const accounts: Record<string, string> = {};
  const grant = (login: string, role: string | null, scope: { unit?: unknown; organization?: unknown }, person?: Person) => {
    const account = em.create(Account, { login, displayName: login, passwordHash: 'x', person: person ?? null } as never);
    if (role) em.create(RoleAssignment, { account, role, unit: scope.unit ?? null, organization: scope.organization ?? null } as never);
    tokens[login] = `pct_${login}_${'x'.repeat(32)}`;
    em.create(ApiToken, { account, name: 'test', tokenHash: hashSecret(tokens[login]!) } as never);
    accounts[login] = account.id;
    return account;
  };
  grant('dept', 'org_department', { unit: district });
  grant('street', 'street_committee', { unit: street });
  grant('community', 'community_committee', { unit: community });
  grant('unit', 'dispatching_unit', { organization: dispatching });
  const postingIds: string[] = [];
  const personIds: string[] = [];
  for (let i = 0; i < (options.postings ?? 1); i++) {
    const person = em.create(Person, { name: `书记${i + 1}`, unit: community, isPartyMember: true } as never);
    grant(`sec${i + 1}`, 'first_secretary', { unit: community }, person);
    personIds.push(person.id);
    if (options.createPostings === false) continue;
    const posting = em.create(Posting, {
      person,
      community,
      dispatchingOrganization: dispatching,
      cohort,
      startsOn,
      endsOn: startsOn,
      phase: 'awaiting_guarantees',
    } as never);
    postingIds.push(posting.id);
  }
  await em.flush();
  return { districtId: district.id, streetId: street.id, communityId: community.id, unitId: dispatching.id, cohortId: cohort.id, postingIds, personIds, tokens, accounts };
}
