// A small posting world on a test database: district → street → community, a dispatching
// unit, a cohort, postings with secretaries, and an account per role.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { Person } from '../../../domain/entities/person.ts';
import { Account } from '../../../domain/entities/account.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { ApiToken } from '../../../domain/entities/api-token.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import { PostingCohort } from '../../../domain/entities/posting-cohort.ts';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { DEFAULT_COHORT_SETTINGS } from '../../../domain/posting/rules.ts';

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
