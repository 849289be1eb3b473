// Response schemas of the posting lists, and GET /auth/me with the caller's postings under way
// and the organizations it acts for.
import Type from 'typebox';
import { DateOnly, Nullable, Uuid } from './common.ts';
import { Me } from './auth.ts';

export const POSTING_PHASES = ['awaiting_guarantees', 'awaiting_start', 'active', 'year_end', 'awaiting_ranking', 'final_assessment', 'completed', 'cancelled'] as const;
export type PostingPhase = (typeof POSTING_PHASES)[number];

export const postingExample = {
  id: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  cohortId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  personId: '5d4e3f2a-1b0c-4f7a-8b6c-9d8e3f2a1b0c',
  secretary: '张三',
  communityId: '9d8e3f2a-1b0c-4f7a-8b6c-5d4e3f2a1b0c',
  community: '红旗社区',
  dispatchingOrganizationId: '1b0c9d8e-3f2a-4f7a-8b6c-5d4e3f2a1b0c',
  dispatchingUnit: '县财政局',
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
  startedOn: '2026-01-05',
  phase: 'active',
  href: '/postings/0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
};

export const PostingSummary = Type.Object({
  id: Uuid,
  cohortId: Nullable(Uuid),
  personId: Uuid,
  secretary: Type.String(),
  communityId: Uuid,
  community: Type.String(),
  dispatchingOrganizationId: Uuid,
  dispatchingUnit: Type.String(),
  startsOn: DateOnly,
  endsOn: DateOnly,
  startedOn: Nullable(DateOnly),
  phase: Type.Enum([...POSTING_PHASES]),
  href: Type.String(),
}, { examples: [postingExample] });

export const CallerOrganization = Type.Object({ id: Uuid, name: Type.String(), kind: Type.String(), roles: Type.Array(Type.String()) }, { examples: [{ id: '1b0c9d8e-3f2a-4f7a-8b6c-5d4e3f2a1b0c', name: '济宁鲁恒机械有限公司', kind: 'non_public_enterprise', roles: ['enterprise_rep'] }] });

export const MeWithHoldings = Type.Object({
  ...Me.properties,
  postings: Type.Array(PostingSummary, { description: 'your postings as first secretary that are under way (not completed or cancelled)' }),
  organizations: Type.Array(CallerOrganization, { description: 'organizations you hold a role in, with those roles' }),
}, {
  examples: [{
    accountId: '7c6b5a49-3c1a-4f7e-9a55-1f2e3d4c5b6a', login: 'sec.zhang', displayName: '张三', personId: postingExample.personId, via: 'password',
    grants: [{ role: 'first_secretary', unitId: postingExample.communityId, organizationId: null }], postings: [postingExample], organizations: [],
  }],
});
