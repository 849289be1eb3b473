// Schemas of attendance routes (issue 16): first secretaries' leave (请假) and official trips
// (公差) with the street committee's decision, and the holiday calendars (放假安排) by year.
import Type from 'typebox';
import { DateOnly, DateTime, Nullable, PageQuery, Uuid } from './common.ts';
import { ABSENCE_KINDS, ABSENCE_STATUSES } from '../../domain/posting/absences.ts';

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const AbsenceParams = Type.Object({ id: Uuid, absenceId: Uuid });

export const AbsenceBody = Type.Object({
  kind: Type.Enum([...ABSENCE_KINDS], { description: 'leave (请假) or trip (公差)' }),
  from: DateString,
  to: DateString,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
}, { additionalProperties: false, examples: [{ kind: 'trip', from: '2026-06-01', to: '2026-06-02', reason: '赴区民政局对接社区养老服务项目' }] });

export const AbsenceDecisionBody = Type.Object({
  decision: Type.Enum(['approved', 'refused'] as const),
  comment: Type.Optional(Type.String({ maxLength: 500, description: 'required when refusing' })),
}, { additionalProperties: false, examples: [{ decision: 'approved', comment: '同意' }] });

export const AbsenceListQuery = Type.Object({
  status: Type.Optional(Type.Enum([...ABSENCE_STATUSES])),
  ...PageQuery,
}, { additionalProperties: false });

export const Absence = Type.Object({
  id: Uuid,
  postingId: Uuid,
  secretary: Type.String(),
  community: Type.String(),
  kind: Type.Enum([...ABSENCE_KINDS]),
  from: DateOnly,
  to: DateOnly,
  /** Calendar days the request covers. */
  days: Type.Integer({ minimum: 1 }),
  reason: Type.String(),
  status: Type.Enum([...ABSENCE_STATUSES]),
  filedAs: Type.String({ description: 'first_secretary or community_committee' }),
  filedBy: Nullable(Type.String()),
  filedAt: DateTime,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(DateTime),
  decisionComment: Nullable(Type.String()),
});

export const absenceExample = {
  id: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a', postingId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', secretary: '王明', community: '东关社区',
  kind: 'trip', from: '2026-06-01', to: '2026-06-02', days: 2, reason: '赴区民政局对接社区养老服务项目', status: 'pending', filedAs: 'first_secretary',
  filedBy: '王明', filedAt: '2026-05-28T02:00:00.000Z', decidedBy: null, decidedAt: null, decisionComment: null,
};

export const AbsenceList = Type.Object({ items: Type.Array(Absence) });

// ── Holiday calendars.

export const HolidayYearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });

export const HolidayCalendarBody = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  holidays: Type.Array(DateString, { maxItems: 60, description: 'days off (放假), weekend days of a holiday may be listed' }),
  makeupWorkdays: Type.Array(DateString, { maxItems: 20, description: 'weekend days worked (调休上班)' }),
  source: Type.String({ minLength: 1, maxLength: 200, description: 'the notice the dates come from' }),
}, {
  additionalProperties: false,
  examples: [{ year: 2027, holidays: ['2027-01-01'], makeupWorkdays: [], source: '国务院办公厅关于2027年部分节假日安排的通知' }],
});

export const HolidayCalendarYear = Type.Object({
  year: Type.Integer(),
  holidays: Type.Array(DateOnly),
  makeupWorkdays: Type.Array(DateOnly),
  source: Type.String(),
  /** true for the notices this service ships (2024–2026), false for a year a department entered or changed. */
  shipped: Type.Boolean(),
  updatedBy: Nullable(Type.String()),
  updatedAt: DateTime,
});

export const HolidayCalendarList = Type.Object({
  items: Type.Array(HolidayCalendarYear),
  /** Years some posting spans that have no calendar on record (their sheets carry the warning). */
  missingYears: Type.Array(Type.Integer()),
});
