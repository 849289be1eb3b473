// Schemas of the 双报到 routes: units' and members' registrations with a community, the
// community's confirmation, service records, household pairings and visits, the unit's summary
// (for the 写实评价 of the dual commitments) and the dashboard. Dates are ISO strings.
import Type from 'typebox';
import { REGISTRATION_STATUSES } from '../../domain/member-report/contracts.ts';
import { DateOnly, DateTime, Nullable, Page, PageQuery, Uuid } from './common.ts';

const id = '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a';
const at = '2026-04-02T08:00:00.000Z';
const Status = Type.Enum([...REGISTRATION_STATUSES], { description: 'pending 待确认 / confirmed 已确认 / declined 已退回' });

export const OrgParams = Type.Object({ orgId: Uuid });
export const YearQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false });
export const MonthQuery = Type.Object({ month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })) }, { additionalProperties: false });

export const UnitRegistrationBody = Type.Object({ organizationId: Uuid, communityId: Uuid }, { examples: [{ organizationId: id, communityId: id }] });
export const UnitRegistration = Type.Object({
  id: Uuid, organizationId: Uuid, organizationName: Type.String(), communityId: Uuid, communityName: Type.String(), status: Status,
  createdAt: DateTime, decidedAt: Nullable(DateTime),
});
export const UnitRegistrationList = Page(UnitRegistration, {
  id, organizationId: id, organizationName: '区财政局', communityId: id, communityName: '甲社区', status: 'pending', createdAt: at, decidedAt: null,
});

// The community picker of 在职党员报到 (public facts of the caller's own district or city only).
export const CommunityQuery = Type.Object({
  areaId: Type.Optional(Uuid),
  name: Type.Optional(Type.String({ maxLength: 50, description: '社区或其党组织名称中的字' })),
  ...PageQuery,
}, { additionalProperties: false });
export const CommunityChoice = Type.Object({
  id: Uuid, name: Type.String(), partyOrgName: Type.String(), streetId: Nullable(Uuid), streetName: Nullable(Type.String()), districtId: Nullable(Uuid),
  districtName: Nullable(Type.String()),
});
export const CommunityChoiceList = Page(CommunityChoice, {
  id, name: '仙营社区', partyOrgName: '仙营社区党委', streetId: id, streetName: '柳行街道', districtId: id, districtName: '高新区',
});
export const AreaList = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, name: Type.String(), level: Type.Enum(['district', 'street']), parentId: Nullable(Uuid) })),
}, { examples: [{ items: [{ id, name: '高新区', level: 'district', parentId: null }, { id, name: '柳行街道', level: 'street', parentId: id }] }] });

export const RegistrationBody = Type.Object({
  communityId: Uuid,
  skills: Type.Optional(Type.String({ maxLength: 200, description: '个人特长、可提供的服务' })),
}, { examples: [{ communityId: id, skills: '法律咨询' }] });
export const RegistrationQuery = Type.Object({
  status: Type.Optional(Status),
  organizationId: Type.Optional(Uuid),
  ...PageQuery,
}, { additionalProperties: false });
const registrationExample = {
  id, personId: id, personName: '王甲', organizationId: id, organizationName: '区财政局', communityId: id, communityName: '甲社区', status: 'confirmed',
  skills: null, createdAt: at, decidedAt: at, servicesThisYear: 3, monthsFlagged: 1, pairings: 1, visits: 2, lastServedOn: '2026-04-01',
};
export const Registration = Type.Object({
  id: Uuid, personId: Uuid, personName: Type.String(), organizationId: Uuid, organizationName: Type.String(), communityId: Uuid,
  communityName: Type.String(), status: Status, skills: Nullable(Type.String()), createdAt: DateTime, decidedAt: Nullable(DateTime),
  servicesThisYear: Type.Integer(), monthsFlagged: Type.Integer(), pairings: Type.Integer(), visits: Type.Integer(), lastServedOn: Nullable(DateOnly),
});
export const RegistrationList = Page(Registration, registrationExample);

export const ServiceBody = Type.Object({
  servedOn: Type.String({ maxLength: 10 }),
  hours: Type.Number({ minimum: 0, maximum: 24 }),
  content: Type.String({ maxLength: 500 }),
}, { examples: [{ servedOn: '2026-04-01', hours: 2, content: '社区环境整治' }] });
export const ServiceRecord = Type.Object({
  id: Uuid, servedOn: DateOnly, hours: Type.Number(), content: Type.String(), createdAt: DateTime,
  points: Type.Object({ entryId: Uuid, amount: Type.Integer(), status: Type.String() }),
});
export const PairingBody = Type.Object({
  householdName: Type.String({ minLength: 1, maxLength: 100 }),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  difficulty: Type.String({ minLength: 1, maxLength: 100, description: '困难类型：低保、独居老人、残疾…' }),
}, { examples: [{ householdName: '李大爷家', address: '3号楼2单元', difficulty: '独居老人' }] });
export const VisitBody = Type.Object({
  visitedOn: Type.String({ maxLength: 10 }),
  note: Type.String({ maxLength: 500 }),
}, { examples: [{ visitedOn: '2026-04-01', note: '送去米面油，了解身体情况' }] });
export const Visit = Type.Object({ id: Uuid, visitedOn: DateOnly, note: Type.String(), createdAt: DateTime });
export const Pairing = Type.Object({
  id: Uuid, householdName: Type.String(), address: Nullable(Type.String()), difficulty: Type.String(), createdAt: DateTime, visits: Type.Array(Visit),
});
export const RegistrationDetail = Type.Object({
  registration: Registration,
  services: Type.Array(ServiceRecord),
  flaggedMonths: Type.Array(Type.String()),
  pairings: Type.Array(Pairing),
});

export const UnitSummary = Type.Object({
  organizationId: Uuid, year: Type.Integer(), unitRegistered: Type.Boolean(), members: Type.Integer(), confirmedMembers: Type.Integer(),
  services: Type.Integer(), serviceHours: Type.Number(), monthsFlagged: Type.Integer(), pairings: Type.Integer(), visits: Type.Integer(),
});

export const MemberDashboard = Type.Object({
  month: Type.String(),
  units: Type.Array(Type.Object({
    organizationId: Uuid, organizationName: Type.String(), members: Type.Integer(), served: Type.Integer(), rate: Nullable(Type.Number()),
    flagged: Type.Integer(),
  })),
});
