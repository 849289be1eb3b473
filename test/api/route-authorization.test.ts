// Every route of the OpenAPI document against every role, with a second district seeded
// (issue 11, finding 8 and deliver 7). The route list is read from the app's own OpenAPI
// document, so a route added without a case here fails the suite. For each route:
// - a record of ANOTHER district: every caller of the first district holding one of the
//   route's roles gets exactly the 404 of a record that does not exist (reads and writes alike,
//   never 202/409/403 that would reveal it); a caller without the route's roles gets 403;
//   without a token 401;
// - a record of the caller's OWN district: 404 likewise to a caller of another street or
//   enterprise, 403 to every caller whose roles the route does not name;
// - every list and read of the first district's callers contains no id of the other district;
// - a create naming the other district's units or organizations is refused (4xx).
import { randomUUID } from 'node:crypto';
import { sampleOf, type Operation } from '../support/openapi-sample.ts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildOtherDistrict, buildWorld, type OtherDistrict, type World } from '../support/fixtures.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Person } from '../../domain/entities/person.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { Notification } from '../../domain/entities/notification.ts';
import { AccessLink } from '../../domain/entities/access-link.ts';
import { ImportJob } from '../../domain/entities/import-job.ts';
import { EvidenceFile } from '../../domain/entities/evidence.ts';
import { Cycle } from '../../domain/entities/cycle.ts';
import { CommitmentSet } from '../../domain/entities/commitment.ts';
import { PostingCohort } from '../../domain/entities/posting-cohort.ts';
import { Posting } from '../../domain/entities/posting.ts';
import { ReportFile } from '../../domain/entities/report-file.ts';
import { StarEnrolment } from '../../domain/entities/star-rating.ts';
import { ApiToken } from '../../domain/entities/api-token.ts';
import { hashSecret } from '../../domain/auth/secrets.ts';
import { DEFAULT_COHORT_SETTINGS } from '../../domain/posting/rules.ts';
import type { Role } from '../../domain/auth/roles.ts';
import { GRID_RECORD_PATHS, GRID_UNSCOPED, seedGridMatter, seedMemberReports, seedPoints, seedSteering, type GridRecords } from '../support/grid-records.ts';
import { ASSESSMENT_RECORD_PATHS, ASSESSMENT_UNSCOPED, seedAssessment, type AssessmentRecords } from '../support/assessment-records.ts';

/** The records of one district that routes take as path parameters. */
interface Records extends GridRecords, AssessmentRecords {
  unit: string;
  street: string;
  organization: string;
  person: string;
  account: string;
  roleAssignment: string;
  evaluatorAssignment: string;
  notification: string;
  accessLink: string;
  importJob: string;
  evidence: string;
  dcCycle: string;
  set: string;
  cohort: string;
  posting: string;
  reportFile: string;
  apiToken: string;
  district: string;
  grid: string;
  gridMatter: string;
}

interface District { district: { id: string }; street: { id: string }; community: { id: string }; org: { id: string }; accountId: string; tag: string }

async function seedRecords(app: TestApp, ids: District): Promise<Records> {
  const em = app.orm.em.fork() as EntityManager;
  const account = em.getReference(Account, ids.accountId);
  const d = {
    ...ids,
    district: em.getReference(AdministrativeUnit, ids.district.id),
    street: em.getReference(AdministrativeUnit, ids.street.id),
    community: em.getReference(AdministrativeUnit, ids.community.id),
    org: em.getReference(Organization, ids.org.id),
  };
  const dispatcher = em.create(Organization, { name: `派出单位${d.tag}`, kind: 'resident_unit', unit: d.district, creditCode: null, partyOrgName: `派出单位${d.tag}党组`, responsiblePeople: [], address: null });
  const person = em.create(Person, { name: `书记${d.tag}`, phone: null, title: null, unit: d.community, organization: null });
  const evaluator = em.create(Account, { login: `eval-${d.tag}`, displayName: `评审${d.tag}`, passwordHash: 'x', active: true, person: null });
  const role = em.create(RoleAssignment, { account: evaluator, role: 'evaluator', unit: null, organization: null });
  const evaluatorAssignment = em.create(EvaluatorAssignment, { account: evaluator, subjectType: 'organization', subjectId: d.org.id, cycle: null });
  const notification = em.create(Notification, { recipient: account, kind: 'deadline_reminder', title: '提醒', body: '…' } as never);
  const accessLink = em.create(AccessLink, { tokenHash: hashSecret(`pcl_${d.tag}`), purpose: 'public_commitments', subjectType: 'organization', subjectId: d.org.id, expiresAt: new Date(Date.now() + 86_400_000), createdBy: d.accountId } as never);
  const importJob = em.create(ImportJob, { kind: 'organizations', status: 'succeeded', fileName: 'x.csv', total: 0, processed: 0, imported: 0, errors: [], createdBy: account } as never);
  const evidence = em.create(EvidenceFile, { title: `佐证${d.tag}`, organization: d.org, unit: d.community, subjectType: null, subjectId: null, latestVersion: 0, createdBy: account });
  const dcCycle = em.create(Cycle, { type: 'dual_commitment', year: 2026, name: `双向承诺${d.tag}`, scope: { unitIds: [d.district.id] }, settings: {}, status: 'running' } as never);
  const set = em.create(CommitmentSet, { cycle: dcCycle, organization: d.org, year: 2026, workflowId: `dual-commitment/${d.org.id}/2026`, gate: 'set', status: 'drafting', latestVersion: 0, selfEvaluations: {}, gateEnteredAt: new Date(), startedAt: new Date() } as never);
  const starCycle = em.create(Cycle, { type: 'star_rating', year: 2026, name: `星级${d.tag}`, scope: { unitIds: [d.district.id] }, settings: {}, status: 'running' } as never);
  em.create(StarEnrolment, { organization: d.org, departmentUnit: d.district, cycle: starCycle, firstYear: 2026, workflowId: `star-rating/${d.org.id}` } as never);
  const cohort = em.create(PostingCohort, { name: `第一书记${d.tag}`, region: d.district, startsOn: '2026-01-01', settings: DEFAULT_COHORT_SETTINGS } as never);
  const posting = em.create(Posting, { person, community: d.community, dispatchingOrganization: dispatcher, cohort, startsOn: '2026-01-01', endsOn: '2027-12-31', phase: 'awaiting_guarantees' } as never);
  const reportFile = em.create(ReportFile, { type: 'quarter-report', subjectType: 'posting', subjectId: posting.id, cycleId: null, version: 1, sha256: hashSecret(d.tag), bytes: 1, pages: 1, createdBy: d.accountId } as never);
  const apiToken = em.create(ApiToken, { account, name: d.tag, tokenHash: hashSecret(`pct_${d.tag}`) });
  const grid = em.create(AdministrativeUnit, { code: `G-${d.tag}`, name: `网格${d.tag}`, level: 'grid', parent: d.community, partyOrgName: `网格${d.tag}党支部`, path: '', depth: 3 });
  const [community] = await em.execute<{ path: string }[]>('select path from administrative_unit where id = ?', [ids.community.id]);
  grid.path = `${community!.path}${grid.id}/`;
  await em.flush();
  const matter = await seedGridMatter(em, { grid: grid.id, district: ids.district.id, tag: d.tag });
  const steering = await seedSteering(em, { district: d.district.id, street: d.street.id });
  return {
    ...(await seedAssessment(em, { district: ids.district.id, street: ids.street.id, grid: grid.id, tag: d.tag })),
    ...steering,
    ...(await seedPoints(em, d.community.id, d.tag)), ...(await seedMemberReports(em, { person: person.id, org: d.org.id, community: d.community.id })),
    unit: d.community.id, street: d.street.id, organization: d.org.id, person: person.id, account: d.accountId, roleAssignment: role.id,
    evaluatorAssignment: evaluatorAssignment.id, notification: notification.id, accessLink: accessLink.id, importJob: importJob.id,
    evidence: evidence.id, dcCycle: dcCycle.id, set: set.id, cohort: cohort.id, posting: posting.id, reportFile: reportFile.id, apiToken: apiToken.id,
    district: d.district.id,
    grid: grid.id, gridMatter: matter,
  };
}

/** Ids of nothing. */
const MISSING = new Proxy({} as Records, { get: () => '00000000-0000-4000-8000-000000000000' });

let app: TestApp;
let world: World;
let other: OtherDistrict;
let own: Records;
let foreign: Records;
let spec: { paths: Record<string, Record<string, Operation>> };

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  other = await buildOtherDistrict(app);
  own = await seedRecords(app, { district: world.district, street: world.streetA, community: world.communityA, org: world.orgA, accountId: world.accounts.enterpriseA!, tag: 'A' });
  foreign = await seedRecords(app, { district: other.district, street: other.street, community: other.community, org: other.org, accountId: other.accounts.enterprise2!, tag: 'B' });
  spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json();
}, 120_000);
afterAll(async () => app?.close());

const CALLERS = ['orgDept', 'streetA', 'streetB', 'communityA', 'enterpriseA', 'enterpriseB', 'partyOrgA', 'secretaryA', 'dispatching', 'evaluatorA', 'nobody'] as const;
type Caller = (typeof CALLERS)[number];
/** The first district's callers that hold no role over street A, enterprise A or their postings. */
const OUTSIDERS: Caller[] = ['streetB', 'enterpriseB'];
const ROLES_OF: Record<Caller, Role[]> = {
  orgDept: ['org_department'], streetA: ['street_committee'], streetB: ['street_committee'], communityA: ['community_committee'],
  enterpriseA: ['enterprise_rep'], enterpriseB: ['enterprise_rep'], partyOrgA: ['enterprise_party_org'], secretaryA: ['first_secretary'],
  dispatching: ['dispatching_unit'], evaluatorA: ['evaluator'], nobody: [],
};

/** The roles a route declares (the auth layer writes them into the description), or 'any'. */
function routeRoles(op: Operation): Role[] | 'any' {
  const note = /Roles: ([a-z_, ]+)\./.exec(op.description ?? '');
  return note ? (note[1]!.split(', ') as Role[]) : 'any';
}

/** Path parameters naming a district's records; `{id}` by the resource the path starts with. Others (kinds, types) from their schema; required query parameters too. */
function fill(path: string, r: Records, op?: Operation): string {
  const query = new URLSearchParams();
  for (const p of op?.parameters ?? []) {
    if (p.in === 'path' && !RECORD_PARAMS.includes(p.name) && (p.schema.enum || p.schema.anyOf || p.schema.const !== undefined)) path = path.replace(`{${p.name}}`, String(sampleOf(p.schema)));
    if (p.in === 'query' && p.required) query.set(p.name, String(sampleOf(p.schema)));
  }
  return `${fillRecords(path, r)}${query.size ? `?${query}` : ''}`;
}

const RECORD_PARAMS = ['id', 'setId', 'orgId', 'fileId', 'token'];

function fillRecords(path: string, r: Records): string {
  const idOf: [RegExp, keyof Records][] = [
    [/^\/units\//, 'unit'], [/^\/organizations\//, 'organization'], [/^\/people\//, 'person'], [/^\/accounts\//, 'account'],
    [/^\/role-assignments\//, 'roleAssignment'], [/^\/evaluator-assignments\//, 'evaluatorAssignment'], [/^\/notifications\//, 'notification'],
    [/^\/access-links\//, 'accessLink'], [/^\/imports\//, 'importJob'], [/^\/evidence\//, 'evidence'], [/^\/dual-commitments\/cycles\//, 'dcCycle'],
    ...GRID_RECORD_PATHS, ...ASSESSMENT_RECORD_PATHS,
    [/^\/postings\/cohorts\//, 'cohort'], [/^\/postings\//, 'posting'], [/^\/auth\/tokens\//, 'apiToken'],
    [/^\/document-issuers\//, 'district'], [/^\/grid-matters\//, 'gridMatter'],
  ];
  const id = idOf.find(([re]) => re.test(path))?.[1];
  return path
    .replace('{id}', id ? r[id] : randomUUID())
    .replace('{setId}', r.set).replace('{subjectId}', path.startsWith('/surveys/') ? r.set : r.assessmentSubject).replace('{unitId}', r.unit).replace('{gridId}', r.grid).replace('{orgId}', r.organization).replace('{fileId}', r.reportFile)
    .replace('{itemKey}', 'item-1').replace('{kind}', path.startsWith('/imports') ? 'organizations' : 'notice')
    .replace('{year}', '2026').replace('{month}', '2026-03').replace('{quarter}', '1').replace('{date}', '2026-03-02').replace('{version}', '1')
    .replace('{type}', 'quarter-report').replace('{sha256}', hashSecret('B'))
    .replace(/\{(objectionId|requestId|reviewId|absenceId)\}/, randomUUID())
    .replace('{token}', `pcl_${randomUUID()}`);
}

const call = (caller: Caller | null, method: string, url: string, payload?: unknown) =>
  app.server.inject({ method: method.toUpperCase() as 'GET', url, headers: caller ? bearer(world.tokens[caller]!) : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });

/** Routes whose path names no record of a district, with the body that would reach into the other district. */
const UNSCOPED: Record<string, ((o: Records) => unknown) | 'read' | 'own'> = {
  'GET /healthz': 'read', 'GET /readyz': 'read',
  'POST /auth/login': 'own', 'POST /auth/refresh': 'own', 'POST /auth/logout': 'own', 'POST /auth/password': 'own', 'GET /auth/me': 'read',
  'GET /auth/tokens': 'read', 'POST /auth/tokens': 'own', 'POST /notifications/read-all': 'own',
  'GET /units': 'read', 'POST /units': (o) => ({ code: 'X-1', name: '新社区', level: 'community', parentId: o.street, partyOrgName: '新社区党委' }),
  'GET /organizations': 'read', 'POST /organizations': (o) => ({ name: '新企业', kind: 'non_public_enterprise', unitId: o.unit, partyOrgName: '新企业党支部' }),
  'GET /people': 'read', 'POST /people': (o) => ({ name: '新人', unitId: o.unit }),
  // Excel exports of the lists: the list's rows and access rules (test/api/exports.test.ts reads the files).
  'GET /units/export': 'read', 'GET /organizations/export': 'read', 'GET /people/export': 'read',
  // The import templates: headers and an example row, nothing of a district.
  'GET /imports/{kind}/template': 'read',
  'GET /dual-commitments/sets/export': 'read', 'GET /dual-commitments/items/export': 'read', 'GET /dual-commitments/scores/export': 'read',
  'GET /star-ratings/organizations/export': 'read', 'GET /star-ratings/distribution/export': 'read', 'GET /audit/export': 'read',
  'GET /postings/export': 'read', 'GET /postings/attendance/export': 'read',
  'GET /accounts': 'read', 'POST /accounts': (o) => ({ login: 'planted.x', displayName: 'x', password: 'Planted-2026', grants: [{ role: 'community_committee', unitId: o.unit }] }),
  'GET /role-assignments': 'read', 'POST /role-assignments': (o) => ({ accountId: o.account, role: 'community_committee', unitId: o.unit }),
  'GET /evaluator-assignments': 'read', 'POST /evaluator-assignments': (o) => ({ accountId: world.accounts.evaluatorA, subjectType: 'organization', subjectId: o.organization }),
  'GET /evaluator-assignments/evaluators': 'read', 'POST /evaluator-assignments/bulk': (o) => ({ accountId: world.accounts.evaluatorA, organizationIds: [o.organization] }),
  'GET /catalogs': 'read', 'GET /notifications': 'read', 'GET /audit': 'read', 'GET /audit/verify': 'read',
  'POST /catalogs/dual-commitment/versions': 'own', 'POST /catalogs/resident-unit-commitment/versions': 'own', 'POST /catalogs/star-rating/versions': 'own', 'POST /catalogs/incentive/versions': 'own',
  'POST /access-links': (o) => ({ purpose: 'public_commitments', subjectType: 'organization', subjectId: o.organization, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
  'POST /evidence': 'own', 'GET /evidence': 'read',
  'POST /dual-commitments/cycles': (o) => ({ year: 2027, name: '越界', organizationIds: [o.organization] }),
  'GET /dual-commitments/sets': 'read',
  'POST /star-ratings/enrolments': (o) => ({ organizationIds: [o.organization] }),
  'GET /star-ratings/settings': 'read', 'PATCH /star-ratings/settings': 'own',
  'GET /star-ratings/organizations': 'read',
  'GET /star-ratings/distribution': 'read', 'GET /star-ratings/due-for-review': 'read', 'GET /star-ratings/incentives': 'read',
  'POST /star-ratings/lists': 'own',
  'POST /postings/cohorts': (o) => ({ name: '越界', regionUnitId: o.street, startsOn: '2026-06-01', postings: [] }),
  'GET /postings/reports/attendance-sheet': 'read', 'GET /postings': 'read', 'GET /postings/cohorts': 'read', 'GET /postings/attendance': 'read', 'GET /dual-commitments/cycles': 'read',
  // The default gate dates of a year: the same for every district, nothing of a district in it.
  'GET /dual-commitments/cycle-defaults': 'read',
  // A CSV upload: the rows name units and organizations, checked row by row (test/api/imports.test.ts).
  'POST /imports/{kind}': 'own',
  ...GRID_UNSCOPED,
  ...(ASSESSMENT_UNSCOPED as unknown as typeof GRID_UNSCOPED),
  // Leave and trips of the postings a caller sees (a street: its communities'); the issuers of the districts a department is the department of.
  'GET /postings/absences': 'read', 'GET /document-issuers': 'read',
  // Holiday calendars are the State Council's, the same for every district: nothing of a district in them.
  'GET /holiday-calendars': 'read', 'PUT /holiday-calendars': 'own',
  // Delivery channels of the caller's department or of a unit named (in scope); one's own preferences.
  'GET /access-links': 'read', 'GET /notification-channels': 'read', 'GET /notification-deliveries': 'read', 'GET /notification-preferences': 'read', 'PUT /notification-preferences': 'own',
  'PUT /notification-channels/{kind}': (o) => ({ unitId: o.unit, enabled: false, settings: {} }), 'POST /notification-channels/{kind}/test': (o) => ({ unitId: o.unit, to: '13800138000' }),
  'GET /grid-matters': 'read', 'GET /grid-matters/export': 'read', 'GET /grid-matters/dashboard': 'read', 'GET /grid-matters/settings': 'read', 'GET /grid-matters/responders': 'read',
  'GET /grid-matters/grids': 'read',
  // 小区（楼院）自治 records of the caller's own units' grids (test/api/assessments/four-rates.test.ts).
  'GET /compound-governance': 'read',
  'POST /grid-matters': (o) => ({ gridId: o.grid, category: 'environment', description: '越界上报' }),
  'POST /grid-matters/responders': (o) => ({ unitId: o.unit, kind: 'utility', name: '越界供水公司', memberAccountIds: [] }),
};

/** Reads of things the seeded records do not have (a rendered PDF, a plaque, a published list), with why. */
const NOT_SEEDED: Record<string, string> = {
  'GET /catalogs/{id}': 'catalog versions are not a district\'s records',
  'GET /imports/{id}': 'an import job is read by the account that uploaded it (an enterprise account here)',
  'GET /evidence/{id}/versions/{version}/content': 'the seeded evidence has no uploaded version',
  'GET /dual-commitments/sets/{setId}/reports/{kind}': 'no report was rendered',
  'GET /star-ratings/organizations/{orgId}/plaques/{year}': 'no plaque was rendered',
  'GET /star-ratings/lists/{sha256}': 'no list was published',
  'GET /postings/{id}/quarters/{quarter}/report': 'no quarter was reviewed',
  'GET /postings/{id}/final-assessment/report': 'no joint assessment was signed',
  'GET /postings/cohorts/{id}/ranking/report': 'the cohort was not ranked',
  'GET /postings/report-files/{fileId}': 'the seeded report row has no PDF in the store',
  'GET /assessment-rounds/{id}/ranking.pdf': 'the seeded round was not signed off',
  'GET /assessment-rounds/{id}/report-to': 'the seeded scheme reports to no body (test/api/assessments/property-service.test.ts)',
  'GET /assessment-rounds/{id}/report-to.pdf': 'the seeded scheme reports to no body',
  'GET /assessment-rounds/{id}/report-to.xlsx': 'the seeded scheme reports to no body',
  'GET /assessment-rounds/{id}/first-review': 'the seeded scheme has no first review (test/api/assessments/property-service.test.ts)',
  'GET /assessment-rounds/{id}/subjects/{subjectId}/score-sheet.pdf': 'the seeded round was not signed off (test/api/assessments/papers.test.ts)',
  'GET /assessment-rounds/{id}/subjects/{subjectId}/result-notice.pdf': 'the seeded round was not signed off (test/api/assessments/papers.test.ts)',
  'GET /assessment-rounds/{id}/papers.zip': 'the seeded round has no papers printed (test/api/assessments/papers.test.ts)',
  'GET /points/accounts/{id}/statements/{month}': 'a statement renders on the reports worker this app has not (test/api/points/statement-pdf.test.ts)',
};

function operations(): { key: string; method: string; path: string; op: Operation }[] {
  return Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })));
}

const isPublic = (op: Operation) => !op.security;
const hasRecord = (path: string) => /\{/.test(path) && !path.startsWith('/public/') && !path.startsWith('/imports/{kind}') && !path.startsWith('/notification-channels/');

describe('every route of the OpenAPI document', () => {
  it('has a case here: a path naming a record, a public token route, or an entry in UNSCOPED', () => {
    const missing = operations().filter(({ key, path, op }) => !hasRecord(path) && !(isPublic(op) && path.startsWith('/public/')) && !(key in UNSCOPED)).map((o) => o.key);
    expect(missing).toEqual([]);
    expect(operations().length).toBeGreaterThan(100);
  });

  it('a record of another district answers every caller of this district as a missing record would: 404 with a role, 403 without, 401 without a token', async () => {
    const wrong: string[] = [];
    for (const { key, method, path, op } of operations().filter((o) => hasRecord(o.path) && !isPublic(o.op))) {
      const roles = routeRoles(op);
      const body = sampleOf(op.requestBody?.content['application/json']?.schema);
      const url = fill(path, foreign, op);
      for (const caller of CALLERS) {
        const allowed = roles === 'any' || ROLES_OF[caller].some((r) => roles.includes(r));
        const want = allowed ? 404 : 403;
        const res = await call(caller, method, url, body);
        if (res.statusCode !== want) wrong.push(`${key} as ${caller}: ${res.statusCode} (want ${want}) ${res.body.slice(0, 120)}`);
      }
      // The 404 is the very answer for a record that does not exist (same error and message).
      const first = CALLERS.find((c) => roles === 'any' || ROLES_OF[c].some((r) => roles.includes(r)));
      if (first) {
        const [theirs, none] = await Promise.all([call(first, method, url, body), call(first, method, fill(path, MISSING, op), body)]);
        if (theirs.body !== none.body) wrong.push(`${key} as ${first}: ${theirs.body.slice(0, 100)} differs from a missing record's ${none.body.slice(0, 100)}`);
      }
      const anonymous = await call(null, method, url, body);
      if (anonymous.statusCode !== 401) wrong.push(`${key} anonymous: ${anonymous.statusCode}`);
    }
    expect(wrong).toEqual([]);
  }, 600_000);

  it('a record of this district answers 404 to a caller of another street or enterprise holding the role, 403 to every role the route does not name', async () => {
    const wrong: string[] = [];
    for (const { key, method, path, op } of operations().filter((o) => hasRecord(o.path) && !isPublic(o.op))) {
      const roles = routeRoles(op);
      if (roles === 'any') continue;
      const body = sampleOf(op.requestBody?.content['application/json']?.schema);
      // Cohorts and region-wide reports belong to the whole district; street B is inside it.
      if (/^\/postings\/(cohorts|reports)/.test(path)) continue;
      for (const caller of CALLERS) {
        const allowed = ROLES_OF[caller].some((r) => roles.includes(r));
        // Callers holding the route's role over these records may act (each route's own tests say how).
        if (allowed && !OUTSIDERS.includes(caller)) continue;
        const res = await call(caller, method, fill(path, own, op), body);
        const want = allowed ? 404 : 403;
        if (res.statusCode !== want) wrong.push(`${key} as ${caller}: ${res.statusCode} (want ${want}) ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 600_000);

  it('the department and the administrator read every record of their own district', async () => {
    const wrong: string[] = [];
    for (const { key, path, op } of operations().filter((o) => o.method === 'get' && hasRecord(o.path) && !isPublic(o.op))) {
      if (NOT_SEEDED[key]) continue;
      const roles = routeRoles(op);
      for (const caller of (['admin', 'orgDept'] as const).filter((c) => roles === 'any' || roles.includes(c === 'admin' ? 'admin' : 'org_department'))) {
        const res = await app.server.inject({ method: 'GET', url: fill(path, own, op), headers: bearer(world.tokens[caller]!) });
        if (res.statusCode !== 200) wrong.push(`${key} as ${caller}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 600_000);

  it('no list or read shows this district\'s callers an id of the other district', async () => {
    const ids = Object.values(foreign).concat(Object.values(other.accounts), [other.district.id, other.street.id, other.community.id, other.person.id]);
    const leaks: string[] = [];
    for (const { key, path } of operations().filter((o) => o.method === 'get' && !hasRecord(o.path) && !o.path.startsWith('/public/'))) {
      for (const caller of ['/healthz', '/readyz'].includes(path) ? [null] : CALLERS) { // alike for all; /readyz waits 2-3 s on this app's Temporal
        const res = await call(caller, 'get', path);
        const found = ids.filter((id) => res.body.includes(id));
        if (found.length) leaks.push(`${key} as ${caller}: ${res.statusCode} shows ${found.join(', ')}`);
      }
    }
    expect(leaks).toEqual([]);
  }, 600_000);

  it('a create or grant reaching into the other district is refused', async () => {
    const wrong: string[] = [];
    for (const { key, method, path, op } of operations()) {
      const make = UNSCOPED[key];
      if (typeof make !== 'function') continue;
      const roles = routeRoles(op);
      for (const caller of CALLERS) {
        const res = await call(caller, method, path, make(foreign));
        const allowed = roles === 'any' || ROLES_OF[caller].some((r) => roles.includes(r));
        if (allowed ? !(res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 401) : res.statusCode !== 403) {
          wrong.push(`${key} as ${caller}: ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 600_000);

  // Issue 19 (schemepages): a 党员代表 the department named a voter of a round holds no role; the voter list gives
  // it the ballot routes (roles 'any', access from the list) and nothing else: every other route is 403, the ballot
  // of another district's round 404, and it cannot name voters (itself or anyone).
  it('a named voter without a role reaches its ballot and the 述职 of its round, and nothing else', async () => {
    const em = app.orm.em.fork() as EntityManager;
    const person = em.create(Person, { name: '党员代表甲', phone: null, title: null, unit: em.getReference(AdministrativeUnit, world.communityA.id), organization: null });
    const voter = em.create(Account, { login: 'party-rep-a', displayName: '党员代表甲', passwordHash: 'x', active: true, person });
    const token = `pct_party_rep_${randomUUID()}`;
    em.create(ApiToken, { account: voter, name: 'rep', tokenHash: hashSecret(token) });
    await em.flush();
    await em.execute('insert into assessment_voter (round_id, source, account_id) values (?, ?, ?)', [own.assessmentRound, 'party_reps', voter.id]);
    const as = (method: string, url: string, body?: unknown) =>
      app.server.inject({ method: method.toUpperCase() as 'GET', url, headers: bearer(token), ...(body !== undefined ? { payload: body as object } : {}) });
    const wrong: string[] = [];
    const ballot = ['GET /assessment-ballots', 'GET /assessment-rounds/{id}/ballot', 'POST /assessment-rounds/{id}/subjects/{subjectId}/votes',
      'GET /assessment-rounds/{id}/subjects/{subjectId}/reports'];
    for (const { key, method, path, op } of operations().filter((o) => !isPublic(o.op))) {
      const roles = routeRoles(op);
      if (roles === 'any') continue;
      const res = await as(method, hasRecord(path) ? fill(path, own, op) : path, sampleOf(op.requestBody?.content['application/json']?.schema));
      if (res.statusCode !== 403) wrong.push(`${key}: ${res.statusCode} (want 403) ${res.body.slice(0, 100)}`);
    }
    expect(wrong).toEqual([]);
    expect(operations().filter((o) => !isPublic(o.op) && o.path.includes('assessment') && routeRoles(o.op) === 'any').map((o) => o.key).sort()).toEqual([...ballot].sort());
    const read = await as('GET', fill('/assessment-rounds/{id}/ballot', own));
    expect([read.statusCode, read.json().subjects.map((s: { id: string }) => s.id)]).toEqual([200, [own.assessmentSubject]]);
    expect((await as('GET', fill('/assessment-rounds/{id}/subjects/{subjectId}/reports', own))).statusCode).toBe(200);
    expect((await as('GET', '/assessment-ballots')).json().items.map((i: { id: string }) => i.id)).toEqual([own.assessmentRound]);
    expect((await as('GET', fill('/assessment-rounds/{id}/ballot', foreign))).statusCode).toBe(404);
    expect((await as('PUT', fill('/assessment-rounds/{id}/voters', own), { source: 'party_reps', accountIds: [voter.id] })).statusCode).toBe(403);
  }, 600_000);

  it('public token routes answer 404 to a token that does not exist', async () => {
    const wrong: string[] = [];
    for (const { key, method, path, op } of operations().filter((o) => o.path.startsWith('/public/'))) {
      const res = await call(null, method, fill(path, foreign, op), sampleOf(op.requestBody?.content['application/json']?.schema));
      if (res.statusCode !== 404) wrong.push(`${key}: ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });
});
