// `npm run seed:demo` (or `seedDemo(orm)` from `npm start` when SEED_DEMO=true): loads the demo
// jurisdiction of docs/demo-accounts.md. Idempotent: a database that already has the district
// is left alone. Fast: one argon2 hash per distinct demo password, inserts flushed in batches.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AdministrativeUnit, type UnitLevel } from '../domain/entities/administrative-unit.ts';
import { Organization, type OrganizationKind } from '../domain/entities/organization.ts';
import { Person } from '../domain/entities/person.ts';
import { Account } from '../domain/entities/account.ts';
import { RoleAssignment } from '../domain/entities/role-assignment.ts';
import { EvaluatorAssignment } from '../domain/entities/evaluator-assignment.ts';
import { Posting } from '../domain/entities/posting.ts';
import { SystemSetting } from '../domain/entities/system-setting.ts';
import type { Role } from '../domain/auth/roles.ts';
import { hashPassword } from '../domain/auth/passwords.ts';
import { recordAudit } from '../domain/audit/record.ts';
import { ensureDefaultCatalogs } from '../domain/catalogs/defaults.ts';
import { notify } from '../domain/notifications/notify.ts';
import { DISPATCHING_UNITS, DISTRICT, GRIDS_PER_COMMUNITY, STREETS, enterpriseName, personDetails, personName, socialOrganizationName } from './demo-data.ts';

/** Documented in docs/demo-accounts.md. */
export const DEMO_PASSWORD = 'Demo@2026';
export const DEMO_ADMIN_PASSWORD = 'Admin@2026';

const ENTERPRISES = 240;
const SOCIAL_ORGANIZATIONS = 60;
const FIRST_SECRETARIES = 32;
const EVALUATORS = 3;
const SEED_LOCK = 20_260_404;

export interface SeedSummary {
  seeded: boolean;
  units: number;
  organizations: number;
  people: number;
  accounts: number;
}

export async function seedDemo(orm: MikroORM): Promise<SeedSummary> {
  await ensureDefaultCatalogs(orm.em as EntityManager);
  const [adminHash, demoHash] = await Promise.all([hashPassword(DEMO_ADMIN_PASSWORD), hashPassword(DEMO_PASSWORD)]);
  return (orm.em.fork() as EntityManager).transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(?)', [SEED_LOCK]);
    if (await em.count(AdministrativeUnit, { code: DISTRICT.code })) return { seeded: false, units: 0, organizations: 0, people: 0, accounts: 0 };
    const counts = { units: 0, organizations: 0, people: 0, accounts: 0 };

    const unit = (code: string, name: string, level: UnitLevel, parent: AdministrativeUnit | null, partyOrgName: string) => {
      const u = em.create(AdministrativeUnit, { code, name, level, parent, partyOrgName, path: '', depth: parent ? parent.depth + 1 : 0 });
      u.path = `${parent?.path ?? ''}${u.id}/`;
      counts.units++;
      return u;
    };
    const account = (login: string, displayName: string, grants: { role: Role; unit?: AdministrativeUnit; organization?: Organization }[], person: Person | null = null, hash = demoHash) => {
      const a = em.create(Account, { login, displayName, passwordHash: hash, active: true, person });
      for (const g of grants) em.create(RoleAssignment, { account: a, role: g.role, unit: g.unit ?? null, organization: g.organization ?? null });
      counts.accounts++;
      return a;
    };
    let personIndex = 0;
    const person = (title: string, place: { unit?: AdministrativeUnit; organization?: Organization }, isPartyMember = true) => {
      const i = personIndex++;
      counts.people++;
      return em.create(Person, { name: personName(i), phone: `139${String(5370000 + i).padStart(8, '0')}`, title, isPartyMember, ...personDetails(i, isPartyMember), unit: place.unit ?? null, organization: place.organization ?? null });
    };

    const district = unit(DISTRICT.code, DISTRICT.name, 'district', null, DISTRICT.partyOrgName);
    account('admin', '系统管理员', [{ role: 'admin' }], null, adminHash);
    account('orgdept', '任城区委组织部', [{ role: 'org_department', unit: district }], person('组织部干部', { unit: district }));

    const communities: AdministrativeUnit[] = [];
    STREETS.forEach((street, s) => {
      const streetUnit = unit(street.code, street.name, 'street', district, `中共${street.name}工作委员会`);
      account(`street${s + 1}`, `${street.name}党工委`, [{ role: 'street_committee', unit: streetUnit }], person('党工委副书记', { unit: streetUnit }));
      street.communities.forEach((name, c) => {
        const code = `${street.code}${String(c + 1).padStart(3, '0')}`;
        const community = unit(code, name, 'community', streetUnit, `中共${name}委员会`);
        communities.push(community);
        account(`community${String(communities.length).padStart(2, '0')}`, `${name}党委`, [{ role: 'community_committee', unit: community }], person('社区党委书记', { unit: community }));
        for (let g = 1; g <= GRIDS_PER_COMMUNITY; g++) {
          const grid = unit(`${code}-G${g}`, `${name}第${g}网格`, 'grid', community, `${name}第${g}网格党支部`);
          // 网格员 of the first community's grids (grid01, grid02, …): they report and answer 网格事项 at the grid level.
          if (communities.length === 1) account(`grid${String(g).padStart(2, '0')}`, `${name}第${g}网格网格员`, [{ role: 'community_committee', unit: grid }]);
        }
      });
    });

    const organizations: Organization[] = [];
    const org = (name: string, kind: OrganizationKind, at: AdministrativeUnit, creditCode: string | null, partyOrgName: string | null, address: string | null) => {
      const o = em.create(Organization, { name, kind, unit: at, creditCode, partyOrgName, address, responsiblePeople: [{ role: kind === 'social_organization' ? '负责人' : '出资人', name: personName(10_000 + counts.organizations), phone: `138${String(5370000 + counts.organizations).padStart(8, '0')}` }] });
      counts.organizations++;
      return o;
    };
    for (let i = 0; i < ENTERPRISES + SOCIAL_ORGANIZATIONS; i++) {
      const community = communities[i % communities.length]!;
      const isEnterprise = i < ENTERPRISES;
      const name = isEnterprise ? enterpriseName(i) : socialOrganizationName(i, community.name);
      const creditCode = isEnterprise ? `91370811MA3${String(i + 1).padStart(7, '0')}` : `52370811MJ${String(i + 1).padStart(8, '0')}`;
      const o = org(name, isEnterprise ? 'non_public_enterprise' : 'social_organization', community, creditCode, `${name}党支部`, `${community.name}辖区${(i % 90) + 1}号`);
      organizations.push(o);
      const n = String(i + 1).padStart(3, '0');
      const secretary = person('党支部书记', { unit: community, organization: o });
      account(`ent${n}`, `${name}（出资人）`, [{ role: 'enterprise_rep', organization: o }]);
      account(`party${n}`, `${name}党支部`, [{ role: 'enterprise_party_org', organization: o }], secretary);
    }

    // The district's departments dispatch the first secretaries and are resident units (驻区单位)
    // of the community they sit in, so 四双 runs between that community (its 社区党委 reviews, the
    // street's 党工委 above it) and the department's Party group (`unitNN` drafts its side).
    const dispatchers = DISPATCHING_UNITS.map((name, d) => {
      const community = communities[d % communities.length]!;
      const o = org(name, 'resident_unit', community, null, `${name}党组`, `${community.name}辖区政务服务中心${d + 1}号楼`);
      o.responsiblePeople = [
        { role: '党组书记', name: personName(20_000 + d), phone: `137${String(5370000 + d).padStart(8, '0')}` },
        { role: '上级党组织', name: DISTRICT.partyOrgName, phone: '0537-2212345' },
      ];
      const n = String(d + 1).padStart(2, '0');
      account(`disp${n}`, `${name}（派出单位）`, [{ role: 'dispatching_unit', organization: o }]);
      account(`unit${n}`, `${name}党组`, [{ role: 'enterprise_party_org', organization: o }]);
      return o;
    });
    for (let i = 0; i < FIRST_SECRETARIES; i++) {
      const community = communities[i % communities.length]!;
      const dispatcher = dispatchers[i % dispatchers.length]!;
      const secretary = person('第一书记', { unit: community });
      em.create(Posting, { person: secretary, community, dispatchingOrganization: dispatcher, startsOn: '2026-03-01', endsOn: '2027-02-28' });
      account(`sec${String(i + 1).padStart(2, '0')}`, `${community.name}第一书记 ${secretary.name}`, [{ role: 'first_secretary', unit: community }], secretary);
    }
    for (let e = 0; e < EVALUATORS; e++) {
      const evaluator = account(`eval${String(e + 1).padStart(2, '0')}`, `考核组成员${e + 1}`, [{ role: 'evaluator' }]);
      // Each evaluator reviews every third of the first 60 organizations.
      for (let i = e; i < 60; i += EVALUATORS) em.create(EvaluatorAssignment, { account: evaluator, subjectType: 'organization', subjectId: organizations[i]!.id, cycle: null });
      notify(em, { recipientAccountId: evaluator.id, kind: 'assignment', title: '新的考核任务', body: `您被分配考核 ${Math.ceil((60 - e) / EVALUATORS)} 个非公企业和社会组织党组织。`, link: '/evaluator-assignments' });
    }
    em.create(SystemSetting, { key: 'demo.seeded_at', value: new Date().toISOString() });
    await em.flush();
    // Every grid's buildings (1号楼…6号楼), which a resident picks when reporting a 网格事项.
    await em.execute(
      "insert into grid_building (grid_id, name) select u.id, b || '号楼' from administrative_unit u, generate_series(1, 6) b where u.level = 'grid' on conflict do nothing",
    );
    // The grid workers' current pay grades on the 三岗十八级 scale (5–8), which a half-yearly assessment moves.
    await em.execute("insert into pay_grade (subject_key, grade) select id, 5 + (row_number() over (order by login))::int % 4 from account where login like 'grid%' on conflict do nothing");
    await recordAudit(em, { actor: { accountId: null, label: 'seed:demo' }, action: 'seed.demo', entityType: 'system', entityId: null, after: counts });
    return { seeded: true, ...counts };
  });
}

// Run as a script: against DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (started
// here unless `npm start` already runs it on EMBEDDED_PG_PORT).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { loadConfig } = await import('../config/config.ts');
  const { initOrm } = await import('../db/orm.ts');
  const { startEmbeddedPostgres } = await import('../db/embedded-postgres.ts');
  const config = loadConfig();
  let url = config.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    // Same database name as entry/components.ts (EMBEDDED_DATABASE).
    const { SERVICE_ROLE } = await import('../db/embedded-postgres.ts');
    const local = `postgres://${SERVICE_ROLE.user}:${SERVICE_ROLE.password}@127.0.0.1:${config.EMBEDDED_PG_PORT}/party_cycles`;
    const pg = await import('pg');
    const probe = new pg.default.Client({ connectionString: local });
    const running = await probe.connect().then(() => true, () => false);
    await probe.end().catch(() => {});
    if (running) url = local;
    else {
      const embedded = await startEmbeddedPostgres({ dataDir: path.join(config.DATA_DIR, 'postgres'), port: config.EMBEDDED_PG_PORT, database: 'party_cycles' });
      url = embedded.url;
      stop = () => embedded.stop();
    }
  }
  const started = Date.now();
  const { loadAuditKey } = await import('../domain/audit/key.ts');
  const orm = await initOrm({ url, auditKey: await loadAuditKey({ secret: config.AUDIT_SECRET, dataDir: config.DATA_DIR }) });
  try {
    const summary = await seedDemo(orm);
    console.log(summary.seeded ? `demo jurisdiction loaded in ${Date.now() - started} ms: ${JSON.stringify(summary)}` : 'demo jurisdiction already present: nothing to do');
    console.log('accounts and passwords: docs/demo-accounts.md');
  } finally {
    await orm.close(true);
    await stop?.();
  }
}
